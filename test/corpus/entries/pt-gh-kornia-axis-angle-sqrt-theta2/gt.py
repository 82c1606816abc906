import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-kornia-axis-angle-sqrt-theta2")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    # As kornia's axis_angle_to_rotation_matrix calls it: theta2 = |axis_angle|^2, then a 0/1 mask blend with the
    # first-order Taylor form for the rotations below eps (trimmed to the identity here).
    axis_angle = torch.tensor([[0.0, 0.0, 0.0], [0.3, -0.2, 0.5]], dtype=torch.float64, requires_grad=True)
    theta2 = (axis_angle * axis_angle).sum(1, keepdim=True)
    rot = ns["_compute_rotation_matrix"](axis_angle, theta2)
    mask = (theta2 > 1e-6).to(axis_angle.dtype).view(-1, 1, 1)
    out = mask * rot + (1 - mask) * torch.eye(3, dtype=axis_angle.dtype)
    (g,) = torch.autograd.grad(out.sum(), axis_angle)
    bad = bool(torch.isnan(g).any())
    return bad, f"rotation finite: {bool(torch.isfinite(out).all())}; gradient of the zero rotation: {g[0].tolist()}"


gt.main()
