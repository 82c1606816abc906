import torch
from .operators import grad

def _h1_norm(residual, funcs, coords):
    g = grad(residual, *coords)
    rg = torch.cat([residual, *g])
    return (rg ** 2).mean()


def _h1_semi_norm(residual, funcs, coords):
    g = grad(residual, *coords)
    return (g ** 2).mean()


