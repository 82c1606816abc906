"""Ground truth for pt-gh-pytorch-where-false-condition-division-by-zero: the snippet's lines run as posted (from an
IPython session; the last line's value is the gradient); the selected branch c does not depend on a, so the
gradient must be 0."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-where-false-condition-division-by-zero")
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"torch": torch})
    (g,) = torch.autograd.grad(torch.where(ns["b"], ns["a"] / 0, ns["c"]), ns["a"])
    return not bool(torch.isfinite(g)) or float(g) != 0.0, f"gradient = {float(g)}, expected 0 (the selected branch is the constant c)"


gt.main()
