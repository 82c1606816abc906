import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-runebook-nonleaf-grad-none-hidden-activation"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    x, y = ns["x"], ns["y"]
    return y.grad is None, f"x.grad is None: {x.grad is None}; y.is_leaf={y.is_leaf}, y.grad is None: {y.grad is None}"


gt.main()
