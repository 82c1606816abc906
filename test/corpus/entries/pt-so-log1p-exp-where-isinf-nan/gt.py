"""Ground truth for pt-so-log1p-exp-where-isinf-nan: the gradient at x = 100 is NaN instead of sigmoid(100) = 1."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-so-log1p-exp-where-isinf-nan")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    g = ns["x"].grad
    return bool(torch.isnan(g).any()), f"x.grad = {g.tolist()} (analytic sigmoid(x): {torch.sigmoid(ns['x'].detach()).tolist()})"


gt.main()
