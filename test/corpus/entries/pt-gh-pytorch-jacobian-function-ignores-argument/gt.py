"""Ground truth for pt-gh-pytorch-jacobian-function-ignores-argument. PyTorch 1.13 has no `torch.autograd.jacobian`
(the name the issue uses), so the snippet's lines run with `torch.autograd.functional.jacobian`; the control
differentiates a function that reads its argument."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd.functional import jacobian  # noqa: E402


@gt.case("pt-gh-pytorch-jacobian-function-ignores-argument")
def _():
    tmp = torch.randn(10, 5, requires_grad=True)

    def ff(x):
        return tmp.sum()

    def reads(x):
        return x.sum()

    bug = jacobian(ff, tmp)
    control = jacobian(reads, tmp)
    return bool((bug == 0).all()) and bool((control == 1).all()), f"max |J| {bug.abs().max().item():.3g}; reading the argument: all ones {bool((control == 1).all())}"


gt.main()
