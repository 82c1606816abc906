import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-gpytorch-cached-cg-detach-copies"


class LazyTensor:
    """Stand-in for gpytorch's LazyTensor base (its constructor only records the arguments)."""

    def __init__(self, *args, **kwargs):
        self._args, self._kwargs = args, kwargs


def load_class():
    """The snippet's text with its package-relative import replaced by the stand-in above."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path, encoding="utf-8") as fh:
        text = fh.read().replace("from .lazy_tensor import LazyTensor\n", "")
    ns = {"LazyTensor": LazyTensor, "__name__": "snippet"}
    exec(compile(text, path, "exec"), ns)  # noqa: S102
    return ns["CachedCGLazyTensor"]


@gt.case(CASE)
def _():
    cls = load_class()
    torch.manual_seed(0)
    w = torch.randn(4, 2, dtype=torch.float64, requires_grad=True)  # a variational parameter
    eager_rhs = w * 2.0  # the caller's right-hand side, part of its graph
    base = torch.eye(4, dtype=torch.float64)
    cls(base, eager_rhss=[eager_rhs])
    # The caller goes on to use its own right-hand side in a loss (as the variational strategy does with its terms).
    err = gt.raises(lambda: (eager_rhs ** 2).sum().backward())
    return err is not None or w.grad is None, (
        f"caller's eager_rhs.requires_grad after construction: {eager_rhs.requires_grad}; backward: {err or 'ok'}")


gt.main()
