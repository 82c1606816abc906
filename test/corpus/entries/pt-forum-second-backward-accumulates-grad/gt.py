import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-second-backward-accumulates-grad"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    g = ns["x"].grad
    analytic = 1.5 * (torch.ones(2, 2) + 2)  # d/dx mean(3 (x + 2)^2) = 6 (x + 2) / 4
    r = gt.ratio(g, analytic)
    return abs(r - 1) > 1e-6, f"x.grad after the second backward / d(out)/dx = {r:.3g}"


gt.main()
