def outputs(training, inputs):
    self.net.train(mode=training)
    with torch.no_grad():
        if isinstance(inputs, tuple):
            inputs = tuple(map(torch.as_tensor, inputs))
        else:
            inputs = torch.as_tensor(inputs)
        return self.net(inputs)
