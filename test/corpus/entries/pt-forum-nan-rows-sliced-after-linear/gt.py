"""Ground truth for pt-forum-nan-rows-sliced-after-linear: runs the post's snippet and inspects L.weight.grad."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-nan-rows-sliced-after-linear"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {})
    g = ns["L"].weight.grad
    n_nan = int(torch.isnan(g).sum())
    return n_nan > 0, f"L.weight.grad has {n_nan} NaN entries of {g.numel()}; the loss itself is {ns['x'].item():.4g}"


gt.main()
