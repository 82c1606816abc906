x = torch.ones(1, requires_grad=True)
y = x * x * x
z = y.sum()

dz_dx, = torch.autograd.grad(z, x, create_graph=True)

dz_dx.backward()
x.grad
