"""Ground truth for pt-gh-pytorch-where-log2-zero-nan: the snippet runs as posted (its prints captured); the gradient
through torch.where is compared with the derivative of the branch each element actually takes."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-where-log2-zero-nan")
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {"torch": torch})
    got = ns["x1"].grad
    # x1 = 0 and 2 take 2*x (derivative 2); x1 = 3 takes log2(x): 1 / (3 ln 2)
    expected = torch.tensor([2.0, 2.0, 1.0 / (3.0 * torch.log(torch.tensor(2.0)).item())])
    bad = (~torch.isfinite(got)) | ((got - expected).abs() > 1e-5)
    return bool(bad.any()), f"x1.grad = {got.tolist()}, selected branches' derivative {expected.tolist()}, loop version {ns['x2'].grad.tolist()}"


gt.main()
