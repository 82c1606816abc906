J = []
F = f(x)
for i in range(len(x)):
    J.append(torch.autograd.grad(F[i], x))
