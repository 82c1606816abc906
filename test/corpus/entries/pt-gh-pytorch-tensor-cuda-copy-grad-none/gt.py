import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd import Variable  # noqa: E402

CASE = "pt-gh-pytorch-tensor-cuda-copy-grad-none"


@gt.case(CASE)
def _():
    # No GPU here: .cuda() becomes .to(torch.float64), the same differentiable copy (_to_copy) that a device move
    # records, so the tensor it returns is a non-leaf exactly as on a GPU.
    tensor_cuda = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self.to(torch.float64) if self.is_floating_point() else self.clone()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            gt.exec_snippet(__file__, {"torch": torch, "Variable": Variable})
    finally:
        torch.Tensor.cuda = tensor_cuda
    printed = out.getvalue().strip()
    return printed == "None", f"the snippet's print(....grad) printed {printed!r}"


gt.main()

