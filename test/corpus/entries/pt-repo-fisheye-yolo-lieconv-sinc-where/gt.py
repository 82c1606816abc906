"""Ground truth for pt-repo-fisheye-yolo-lieconv-sinc-where: sinc, sinc_inv and cosc of the snippet are differentiated (float64) at x = [0, 0.3]; at
x = 0 the Taylor branch is selected and the true derivatives are 0, 0 and 0. The gradient is NaN there."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-fisheye-yolo-lieconv-sinc-where"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    out = []
    nan = False
    for name in ("sinc", "sinc_inv", "cosc"):
        x = torch.tensor([0.0, 0.3], dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad(ns[name](x).sum(), x)
        nan = nan or bool(torch.isnan(g).any())
        out.append(f"{name}: {g.tolist()}")
    return nan, "; ".join(out)


gt.main()
