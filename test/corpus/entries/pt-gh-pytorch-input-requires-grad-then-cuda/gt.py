"""Ground truth for pt-gh-pytorch-input-requires-grad-then-cuda: runs the issue's test_gpu(). No GPU here:
Tensor.cuda becomes .to(torch.float64), the same differentiable copy a device move records (the result is a
non-leaf exactly as on a GPU), and Module.cuda leaves the module where it is (made float64 to match)."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-input-requires-grad-then-cuda"


@gt.case(CASE)
def _():
    tensor_cuda, module_cuda = torch.Tensor.cuda, torch.nn.Module.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self.to(torch.float64)
    torch.nn.Module.cuda = lambda self, *a, **k: self.double()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            gt.exec_snippet(__file__, {})
    finally:
        torch.Tensor.cuda, torch.nn.Module.cuda = tensor_cuda, module_cuda
    printed = out.getvalue().strip()
    return printed == "None", f"print(test_gpu()) printed {printed!r}"


gt.main()
