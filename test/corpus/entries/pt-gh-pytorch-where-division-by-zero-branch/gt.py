"""Ground truth for pt-gh-pytorch-where-division-by-zero-branch: the snippet runs as posted (its prints captured); the gradient
through torch.where is compared with the derivative of the branch each element actually takes."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-where-division-by-zero-branch")
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {"torch": torch})
    got = ns["x"].grad
    return not bool(torch.isfinite(got)) or abs(float(got) - 1.0) > 1e-6, f"x.grad = {float(got)}, derivative of the selected branch x = 1"


gt.main()
