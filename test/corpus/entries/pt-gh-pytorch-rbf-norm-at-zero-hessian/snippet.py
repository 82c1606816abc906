def rbf(x1, x2, l):
    diff = x1/l - x2/l
    dist = torch.linalg.norm(diff)
    return torch.exp(-dist * dist)

jacfwdgrad_rbf = jacfwd(grad(rbf, argnums=0), argnums=1)  # doing d^2f/dx1dx2

a = torch.randn(16)
l = 1.0

print(torch.allclose(jacfwdgrad_rbf(a, a, l), 2/l/l * torch.eye(16)))  # prints False

print(torch.allclose(jacfwdgrad_rbf(a, a+1e-8, l), 2/l/l * torch.eye(16)))  # prints True
