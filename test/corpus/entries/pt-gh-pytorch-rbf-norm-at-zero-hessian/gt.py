"""Ground truth for pt-gh-pytorch-rbf-norm-at-zero-hessian: the snippet runs with functorch's jacfwd
and grad (PyTorch 1.13's torch.func). The mixed second derivative of exp(-|x1 - x2|^2) at x1 = x2
is 2/l^2 * I analytically (the kernel is smooth there); going through linalg.norm at a zero vector
gives something else. Compared with the analytic matrix and with the snippet's own perturbed call."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from functorch import grad, jacfwd  # noqa: E402


@gt.case("pt-gh-pytorch-rbf-norm-at-zero-hessian")
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {"torch": torch, "jacfwd": jacfwd, "grad": grad})
    a, l = ns["a"], ns["l"]
    h = ns["jacfwdgrad_rbf"](a, a, l)
    exact = 2 / l / l * torch.eye(16)
    err = gt.rel_err(h, exact)
    err_pert = gt.rel_err(ns["jacfwdgrad_rbf"](a, a + 1e-8, l), exact)
    return err > 1e-4, f"d2k/dx1dx2 at x1 = x2: rel err vs 2/l^2 I = {gt.fmt(err)} (max |H| {gt.fmt(float(h.abs().max()))}); at x2 = x1 + 1e-8: {gt.fmt(err_pert)}"


gt.main()
