import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-forum-acos-free-cos-double-angle")
def _():
    # A weight column parallel to an input row: the cosine is 1 (or rounds past it and is clamped to 1).
    w = torch.randn(3, 4, dtype=torch.float64)
    x = torch.randn(5, 3, dtype=torch.float64)
    x[0] = 2.0 * w[:, 1]
    x.requires_grad_(True)
    w.requires_grad_(True)
    ns = gt.exec_snippet(__file__, {"torch": torch, "x": x, "w": w})
    y = ns["y"]
    gx, gw = torch.autograd.grad(y.sum(), (x, w))
    bad = bool(torch.isnan(gx).any() or torch.isnan(gw).any() or torch.isinf(gx).any())
    return bad, f"y finite: {bool(torch.isfinite(y).all())}; gradient NaN/inf: {bad}"


gt.main()
