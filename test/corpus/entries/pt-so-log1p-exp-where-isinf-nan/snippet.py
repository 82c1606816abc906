x = torch.tensor([0., 1., 100.], requires_grad=True)
x.exp().log1p()
exp = x.exp()
y = x.where(torch.isinf(exp), exp.log1p())  # Replace infs with x
y  # No infs
y.sum().backward()  # Automatic differentiation
x.grad  # Why is there a nan and how can I get rid of it?
