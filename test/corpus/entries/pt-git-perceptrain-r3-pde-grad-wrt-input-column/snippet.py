from __future__ import annotations

import torch

from perceptrain.models import FFNN, PINN


def interior_uniform(n: int = 1) -> torch.Tensor:
    """Random uniform distribution over [0, 1] X [0, 2*pi]."""
    ts = torch.rand(size=(n,))  # \in [0, 1]
    xs = torch.rand(size=(n,)) * 2 * torch.pi  # \in [0, 2\pi]
    return torch.cat((ts, xs), dim=1)


def evaluate_pde(x: torch.Tensor, model: torch.nn.Module, beta: float = 1.0) -> torch.Tensor:
    dudt = torch.autograd.grad(
        outputs=model(x),
        inputs=x[:, 0],
        grad_outputs=torch.ones_like(x),
        create_graph=True,
        retain_graph=True,
    )[0]
    dudx = torch.autograd.grad(
        outputs=model(x),
        inputs=x[:, 1],
        grad_outputs=torch.ones_like(x),
        create_graph=True,
        retain_graph=True,
    )[0]
    return dudt + beta * dudx


def evaluate_periodic_bc(x: torch.Tensor, model: torch.nn.Module):
    return model(x) - model(torch.cat((x[:, 0], x[:, 1] + 2 * torch.pi), dim=1))


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
