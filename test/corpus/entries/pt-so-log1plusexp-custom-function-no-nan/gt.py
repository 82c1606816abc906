"""Ground truth for pt-so-log1plusexp-custom-function-no-nan: the gradient equals sigmoid(x), with no NaN."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-so-log1plusexp-custom-function-no-nan")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    g = ns["x"].grad
    expected = torch.sigmoid(ns["x"].detach())
    bad = bool(torch.isnan(g).any()) or not torch.allclose(g, expected)
    return bad, f"x.grad = {g.tolist()}, sigmoid(x) = {expected.tolist()}"


gt.main()
