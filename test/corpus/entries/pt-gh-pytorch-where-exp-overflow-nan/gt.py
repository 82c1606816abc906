"""Ground truth for pt-gh-pytorch-where-exp-overflow-nan: the snippet runs as posted (its prints captured); the gradient
through torch.where is compared with the derivative of the branch each element actually takes."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def run():
    with contextlib.redirect_stdout(io.StringIO()):
        return gt.exec_snippet(__file__, {"torch": torch})


@gt.case("pt-gh-pytorch-where-exp-overflow-nan")
def _():
    ns = run()
    # a = 100 takes the 1 + a branch: derivative 1
    got = ns["a"].grad
    return not bool(torch.isfinite(got)) or abs(float(got) - 1.0) > 1e-6, (
        f"a.grad = {float(got)}, derivative of the selected branch 1 + a = 1 (exp(100) overflows float32)")


gt.main()
