"""Ground truth for pt-git-kornia-quaternion-to-axis-angle-double-where: the snippet's quaternion_to_axis_angle (kornia) is
differentiated (float64) at the identity rotation q = (1, 0, 0, 0), where the radicand of the sqrt is
exactly zero and torch.where picks the constant branch, and at a generic unit quaternion. The
gradient of sum(axis_angle) must be finite and equal the analytical limit (0, 2, 2, 2) at the
identity, and match central finite differences at the generic point."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-kornia-quaternion-to-axis-angle-double-where"


@gt.case(CASE)
def _():
    f = gt.exec_snippet(__file__)["quaternion_to_axis_angle"]
    q0 = torch.tensor([1.0, 0.0, 0.0, 0.0], dtype=torch.float64, requires_grad=True)
    (g0,) = torch.autograd.grad(f(q0).sum(), q0)
    limit = torch.tensor([0.0, 2.0, 2.0, 2.0], dtype=torch.float64)
    at_identity = bool(torch.isfinite(g0).all()) and torch.allclose(g0, limit)

    q1 = torch.nn.functional.normalize(torch.tensor([0.9, 0.2, -0.3, 0.25], dtype=torch.float64), dim=0)
    q = q1.clone().requires_grad_(True)
    (g1,) = torch.autograd.grad(f(q).sum(), q)
    fd = gt.fd_gradient(lambda x: f(torch.as_tensor(x)).sum(-1).numpy(), q1.numpy()[None, :])
    rel = gt.rel_err(g1, torch.as_tensor(fd).reshape(-1))
    return not (at_identity and rel < 1e-6), (f"gradient at the identity {g0.tolist()} (limit [0, 2, 2, 2]); "
                                              f"generic point vs central differences: rel err {gt.fmt(rel)}")


gt.main()
