import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd import Variable  # noqa: E402


@gt.case("pt-gh-norm-of-zero-subgradient")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "Variable": Variable, "print": lambda *a: None})
    g = ns["x"].grad
    bad = bool(torch.isnan(g).any() or torch.isinf(g).any())
    return bad, f"x.grad at x = 0: {g.tolist()}"


gt.main()
