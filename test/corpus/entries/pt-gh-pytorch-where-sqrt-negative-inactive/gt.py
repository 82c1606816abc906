"""Ground truth for pt-gh-pytorch-where-sqrt-negative-inactive: the snippet runs as posted (its prints captured); the gradient
through torch.where is compared with the derivative of the branch each element actually takes."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-where-sqrt-negative-inactive")
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {"torch": torch})
    got, expected = ns["actual"], ns["expected"]
    bad = (~torch.isfinite(got)) | ((got - expected).abs() > 1e-6)
    return bool(bad.any()), f"xt.grad = {got.tolist()}, selected branch (xt itself) gives {expected.tolist()}"


gt.main()
