def outputs(training, inputs):
    self.net.train(mode=training)
    with torch.no_grad():
        if isinstance(inputs, tuple):
            inputs = tuple(
                map(lambda x: torch.as_tensor(x).requires_grad_(), inputs)
            )
        else:
            inputs = torch.as_tensor(inputs)
            inputs.requires_grad_()
    # Clear cached Jacobians and Hessians.
    grad.clear()
    return self.net(inputs)
