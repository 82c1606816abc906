"""Ground truth for pt-gh-log-exp-overflow-overwritten-entry: the snippet runs as quoted (its prints go to stdout); the gradient of f[0] with respect to
x must be finite ([0, 0] after the overwrites), and is NaN at x = 100, where exp overflowed."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-log-exp-overflow-overwritten-entry"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    (g,) = torch.autograd.grad(ns["f"][0], ns["x"], retain_graph=True)
    return bool(torch.isnan(g).any()), f"d f[0] / dx = {g.tolist()} (expected [0, 0])"


gt.main()
