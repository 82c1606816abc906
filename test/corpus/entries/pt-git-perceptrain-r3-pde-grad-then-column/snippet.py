from __future__ import annotations

import torch

from perceptrain.models import FFNN, PINN


def interior_uniform(n: int = 1) -> torch.Tensor:
    """Random uniform distribution over [0, 1] X [0, 2*pi]."""
    ts = torch.rand(size=(n,))  # \in [0, 1]
    xs = torch.rand(size=(n,)) * 2 * torch.pi  # \in [0, 2\pi]
    coords = torch.stack((ts, xs), dim=1)
    coords.requires_grad = True
    return coords


def evaluate_pde(x: torch.Tensor, model: torch.nn.Module, beta: float = 1.0) -> torch.Tensor:
    u = model(x)
    grad_u = torch.autograd.grad(
        outputs=u,
        inputs=x,
        grad_outputs=torch.ones_like(u),
        create_graph=True,
        retain_graph=True,
    )[0]
    dudt = grad_u[:, 0]
    dudx = grad_u[:, 1]
    return dudt + beta * dudx


def evaluate_periodic_bc(x: torch.Tensor, model: torch.nn.Module):
    x_shifted = torch.stack((x[:, 0], (x[:, 1] + 2 * torch.pi) % (4 * torch.pi)), dim=1)
    return model(x) - model(x_shifted)


def evaluate_initial(x: torch.Tensor, model: torch.nn.Module):
    return model(x) - torch.sin(x[:, 1])


def main():
    # model
    nn = FFNN(layers=[2, 20, 20, 20, 1])
    equations = {
        "pde": evaluate_pde,
        "bc": evaluate_periodic_bc,
        "ic": evaluate_initial,
    }
    model = PINN(nn, equations)
