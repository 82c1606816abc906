x = torch.tensor([1], requires_grad=True)
