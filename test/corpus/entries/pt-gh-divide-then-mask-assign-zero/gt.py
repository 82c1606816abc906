"""Ground truth for pt-gh-divide-then-mask-assign-zero: the snippet runs as quoted; x.grad must be [0, 1] (the first entry no longer reaches the
loss), and is NaN."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-divide-then-mask-assign-zero"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    g = ns["x"].grad
    return bool(torch.isnan(g).any()), f"x.grad = {g.tolist()} (expected [0, 1])"


gt.main()
