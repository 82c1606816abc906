"""Ground truth for pt-gh-pytorch-where-safe-denominator-before-division: the issue's alternative runs as posted (its prints
captured); the gradient of the entry the where replaces must be 0 (the selected branch is a constant)."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-where-safe-denominator-before-division")
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {"torch": torch})
    g = ns["x"].grad
    expected = torch.tensor([0.0, 0.5])
    return not bool(torch.allclose(g, expected)), f"x.grad = {g.tolist()}, expected {expected.tolist()}"


gt.main()
