"""Ground truth for pt-gh-pytorch-hessian-wrt-weight-function-ignores-argument: the snippet's Hessian is all zeros;
the issue's workaround (fixed.py), which computes with the argument, gives a non-zero Hessian."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def hessian_of(snippet):
    ns = gt.exec_snippet(__file__, snippet=snippet)
    H = torch.autograd.functional.hessian(ns["func"], ns["weight"])
    return H.abs().max().item()


@gt.case("pt-gh-pytorch-hessian-wrt-weight-function-ignores-argument")
def _():
    bug = hessian_of("snippet.py")
    fixed = hessian_of("fixed.py")
    return bug == 0.0 and fixed > 0.0, f"max |H|: snippet {bug:.3g}, with the argument put into the layer {fixed:.3g}"


gt.main()
