"""Ground truth for pt-gh-pytorch-cuda-copy-of-leaf-grad-none: the issue's script run on the CPU, with `.cuda()`
standing in as what it is on a CPU tensor that requires grad, a differentiable copy (`clone()`): x is then that copy,
not the leaf made by randn, and x.grad stays None after backward (PyTorch warns that a non-leaf's .grad is read)."""
import contextlib
import io
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-cuda-copy-of-leaf-grad-none"


@gt.case(CASE)
def _():
    cuda = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self.clone()  # a device copy: differentiable, not a leaf
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            ns = gt.exec_snippet(__file__, {"torch": torch})
    finally:
        torch.Tensor.cuda = cuda
    x, z = ns["x"], ns["z"]
    return x.grad is None and z.grad is not None, f"x.is_leaf={x.is_leaf}, x.grad={x.grad}, z.grad is set: {z.grad is not None}"


gt.main()
