import torch

from functorch import grad, jacrev, vjp


def model(param, x):
    return x[0] * param[0]


x = torch.randn(2)
param = torch.randn(3)


def f(x):
    return grad(model)(param, x)


output, vjp_fn = vjp(f, x)
res = vjp_fn(torch.randn_like(x))
