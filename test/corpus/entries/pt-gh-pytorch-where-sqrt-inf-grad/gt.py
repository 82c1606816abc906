"""Ground truth for pt-gh-pytorch-where-sqrt-inf-grad: the snippet runs as posted (its prints captured); the gradient
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


@gt.case("pt-gh-pytorch-where-sqrt-inf-grad")
def _():
    ns = run()
    # element 1 takes y = x / 2, whose derivative is 0.5; element 0 takes sqrt(x) + 1: 1 / (2 * 4)
    expected = torch.tensor([0.125, 0.5])
    got = ns["dwdx"]
    bad = (~torch.isfinite(got)) | ((got - expected).abs() > 1e-6)
    return bool(bad.any()), f"dw/dx = {got.tolist()}, derivative of the selected branches = {expected.tolist()}"


gt.main()
