from functorch import vmap, vjp, jacrev
import torch

def f(x):
    theta = torch.linalg.norm(x, dim=0, keepdim=True)
    return theta

USE_AUTOGRAD_FUNCTIONAL = True

def compute_jac_f(xi):
    if USE_AUTOGRAD_FUNCTIONAL:
        jacs = torch.autograd.functional.jacobian(f, xi)
        return jacs[0]
    else:
        jac = jacrev(f)(xi)
    return jac

xi = torch.rand(5,3)
result = vmap(compute_jac_f)(xi)
expected = torch.stack([compute_jac_f(xi[n]) for n in range(xi.shape[0])])
