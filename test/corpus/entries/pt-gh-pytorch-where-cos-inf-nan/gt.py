"""Ground truth for pt-gh-pytorch-where-cos-inf-nan: the snippet runs as posted (its prints captured); the gradient
through torch.where is compared with the derivative of the branch each element actually takes."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def run():
    printed = []
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a: printed.append(a)})
    ns["printed"] = printed
    return ns


@gt.case("pt-gh-pytorch-where-cos-inf-nan")
def _():
    ns = run()
    got = ns["printed"][-1][0][0]  # the tuple the snippet prints
    expected = torch.tensor([-0.0, 0.0])  # -sin(0) for x = 0; the zeros branch for x = inf
    bad = (~torch.isfinite(got)) | ((got - expected).abs() > 1e-6)
    return bool(bad.any()), f"grad = {got.tolist()}, derivative of the selected branches = {expected.tolist()}"


gt.main()
