"""Ground truth for pt-git-kornia-axis-angle-to-rotation-matrix-mask-product: the snippet's axis_angle_to_rotation_matrix
(kornia) is differentiated (float64) at the zero rotation, where theta2 = 0: the mask selects the
Taylor branch, and the other branch takes sqrt(theta2) at 0. kornia.core is a stand-in holding what
kornia re-exports from torch (Tensor, torch.cat as concatenate, torch.cos, torch.sin). The gradient
of sum(R) with respect to the axis angle must be finite at zero and match central finite
differences at a generic rotation."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-kornia-axis-angle-to-rotation-matrix-mask-product"


@gt.case(CASE)
def _():
    core = types.SimpleNamespace(Tensor=torch.Tensor, concatenate=torch.cat, cos=torch.cos, sin=torch.sin)
    sys.modules["kornia"] = types.SimpleNamespace(core=core)
    sys.modules["kornia.core"] = core
    f = gt.exec_snippet(__file__)["axis_angle_to_rotation_matrix"]

    a0 = torch.zeros(1, 3, dtype=torch.float64, requires_grad=True)
    (g0,) = torch.autograd.grad(f(a0).sum(), a0)
    finite = bool(torch.isfinite(g0).all())

    a1 = torch.tensor([[0.3, -0.5, 0.8]], dtype=torch.float64)
    a = a1.clone().requires_grad_(True)
    (g1,) = torch.autograd.grad(f(a).sum(), a)
    fd = gt.fd_gradient(lambda x: f(torch.as_tensor(x)).sum(dim=(1, 2)).numpy(), a1.numpy())
    rel = gt.rel_err(g1, torch.as_tensor(fd))
    return not (finite and rel < 1e-6), (f"gradient at the zero rotation {g0.tolist()}; "
                                         f"generic rotation vs central differences: rel err {gt.fmt(rel)}")


gt.main()
