"""Ground truth for pt-git-kornia-rotation-matrix-to-quaternion-sqrt-trace: the snippet's rotation_matrix_to_quaternion
(kornia, order WXYZ) is differentiated (float64) at the half turn about x, R = diag(1, -1, -1), whose
trace is -1: torch.where selects the cond_1 branch there, and the unselected trace branch takes
sqrt(trace + 1) at 0. The gradient of sum(quaternion) with respect to R must be finite there, and at
a generic rotation it must match central finite differences."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-kornia-rotation-matrix-to-quaternion-sqrt-trace"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    order = ns["QuaternionCoeffOrder"].WXYZ

    def f(r):
        return ns["rotation_matrix_to_quaternion"](r, order=order)

    half_turn = torch.diag(torch.tensor([1.0, -1.0, -1.0], dtype=torch.float64)).requires_grad_(True)
    (g0,) = torch.autograd.grad(f(half_turn).sum(), half_turn)
    finite = bool(torch.isfinite(g0).all())

    c, s = math.cos(0.7), math.sin(0.7)
    r1 = torch.tensor([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]], dtype=torch.float64)
    r = r1.clone().requires_grad_(True)
    (g1,) = torch.autograd.grad(f(r).sum(), r)
    fd = gt.fd_gradient(lambda x: f(torch.as_tensor(x).reshape(-1, 3, 3)).sum(-1).numpy(), r1.reshape(1, 9).numpy())
    rel = gt.rel_err(g1.reshape(-1), torch.as_tensor(fd).reshape(-1))
    return not (finite and rel < 1e-6), (f"gradient at the half turn: {int((~torch.isfinite(g0)).sum())} of 9 entries not finite; "
                                         f"generic rotation vs central differences: rel err {gt.fmt(rel)}")


gt.main()
