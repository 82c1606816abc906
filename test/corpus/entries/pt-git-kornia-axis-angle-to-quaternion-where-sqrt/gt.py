"""Ground truth for pt-git-kornia-axis-angle-to-quaternion-where-sqrt: the snippet's axis_angle_to_quaternion (kornia) is
differentiated (float64) at the zero rotation a = (0, 0, 0), where the radicand of the sqrt is exactly
zero and torch.where picks the constant branch, and at a generic axis angle. The gradient of
sum(quaternion) must be finite and equal the analytical limit (0.5, 0.5, 0.5) at zero, and match
central finite differences at the generic point."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-kornia-axis-angle-to-quaternion-where-sqrt"


@gt.case(CASE)
def _():
    f = gt.exec_snippet(__file__)["axis_angle_to_quaternion"]
    q0 = torch.tensor([0.0, 0.0, 0.0], dtype=torch.float64, requires_grad=True)
    (g0,) = torch.autograd.grad(f(q0).sum(), q0)
    limit = torch.tensor([0.5, 0.5, 0.5], dtype=torch.float64)
    at_zero = bool(torch.isfinite(g0).all()) and torch.allclose(g0, limit)

    q1 = torch.tensor([0.4, -0.7, 0.2], dtype=torch.float64)
    q = q1.clone().requires_grad_(True)
    (g1,) = torch.autograd.grad(f(q).sum(), q)
    fd = gt.fd_gradient(lambda x: f(torch.as_tensor(x)).sum(-1).numpy(), q1.numpy()[None, :])
    rel = gt.rel_err(g1, torch.as_tensor(fd).reshape(-1))
    return not (at_zero and rel < 1e-6), (f"gradient at zero {g0.tolist()} (limit [0.5, 0.5, 0.5]); "
                                              f"generic point vs central differences: rel err {gt.fmt(rel)}")


gt.main()
