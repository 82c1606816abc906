"""Ground truth for pt-gh-pytorch-where-exp-nan-input: the snippet runs as posted (its prints captured); the gradient
through torch.where is compared with the derivative of the branch each element actually takes."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-where-exp-nan-input")
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {"torch": torch})
    got = ns["x"].grad
    # x = 1 takes exp(x): e; the nan and 1e10 entries take the constant b: 0
    expected = torch.tensor([float(torch.exp(torch.tensor(1.0))), 0.0, 0.0])
    bad = (~torch.isfinite(got)) | ((got - expected).abs() > 1e-5)
    return bool(bad.any()), f"x.grad = {got.tolist()}, derivative of the selected branches {expected.tolist()}"


gt.main()
