"""Ground truth for pt-repo-torch-points3d-sinc-index-assign-taylor: sinc1 and sinc2 are differentiated (float64) at t = [0, 0.3]; the gradient must be finite
(0 at t = 0, the Taylor branch's derivative) and match central differences at 0.3."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torch-points3d-sinc-index-assign-taylor"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    bad = False
    out = []
    for name in ("sinc1", "sinc2"):
        f = ns[name]
        t = torch.tensor([0.0, 0.3], dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad(f(t).sum(), t)
        h = 1e-6
        fd = (f(torch.tensor([0.3 + h], dtype=torch.float64)) - f(torch.tensor([0.3 - h], dtype=torch.float64))).item() / (2 * h)
        bad = bad or not bool(torch.isfinite(g).all()) or abs(g[1].item() - fd) > 1e-6 * max(1.0, abs(fd))
        out.append(f"{name}: grad {g.tolist()}, central difference at 0.3 {fd:.6g}")
    return bad, "; ".join(out)


gt.main()
