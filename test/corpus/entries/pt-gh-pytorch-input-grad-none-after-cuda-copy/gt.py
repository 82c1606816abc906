import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-input-grad-none-after-cuda-copy"


@gt.case(CASE)
def _():
    # No GPU here: Tensor.cuda() is stood in for by a differentiable device copy (Tensor.to on the CPU with
    # copy=True, the same autograd node a host-to-device copy records), Module.cuda() by a no-op.
    saved = torch.Tensor.cuda, torch.nn.Module.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self.to("cpu", copy=True)
    torch.nn.Module.cuda = lambda self, *a, **k: self
    try:
        printed = []
        gt.exec_snippet(__file__, {"print": printed.append})
    finally:
        torch.Tensor.cuda, torch.nn.Module.cuda = saved
    cpu, gpu = printed
    return cpu is not None and gpu is None, f"t.grad on the CPU path: {'a tensor' if cpu is not None else 'None'}; after .cuda(): {'None' if gpu is None else 'a tensor'}"


gt.main()
