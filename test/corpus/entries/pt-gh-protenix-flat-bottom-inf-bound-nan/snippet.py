from typing import Optional

import torch


def _flat_bottom_parabolic(
    value: torch.Tensor,
    k: torch.Tensor,
    lower: Optional[torch.Tensor],
    upper: Optional[torch.Tensor],
) -> tuple[torch.Tensor, torch.Tensor]:
    """
    Flat-bottom parabolic potential.
    When the value is outside the interval [lower, upper], the energy grows
    quadratically with the violation:
        E = 0.5 * k * (max(0, lower - value)^2 + max(0, value - upper)^2)
    Returns:
        energy: Energy tensor with the same shape as `value`.
        grad: Gradient dE/dvalue with the same shape as `value`.
    """
    energy = torch.zeros_like(value)
    grad = torch.zeros_like(value)
    if lower is not None:
        diff_lb = lower - value
        mask_lb = diff_lb > 0
        energy += torch.where(mask_lb, 0.5 * k * (diff_lb**2), 0.0)
        grad -= torch.where(mask_lb, k * diff_lb, 0.0)
    if upper is not None:
        diff_ub = value - upper
        mask_ub = diff_ub > 0
        energy += torch.where(mask_ub, 0.5 * k * (diff_ub**2), 0.0)
        grad += torch.where(mask_ub, k * diff_ub, 0.0)
    return energy, grad


value = torch.tensor([0.5], requires_grad=True)
energy, analytic_grad = _flat_bottom_parabolic(
    value,
    torch.ones_like(value),
    torch.tensor([2.0]),
    torch.tensor([float("inf")]),
)
autograd_grad, = torch.autograd.grad(energy.sum(), value)

print(energy)         # tensor([1.1250])
print(analytic_grad)  # tensor([-1.5000])
print(autograd_grad)  # tensor([nan])
