import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-inputs-grad-none-after-cuda"


@gt.case(CASE)
def _():
    # No GPU here: .cuda() becomes .to(torch.float64), the same differentiable _to_copy that a device move records;
    # modules keep their .cuda() as a no-op and are made float64 so that the copy flows through them.
    leaves = []
    tensor_cuda, module_cuda = torch.Tensor.cuda, torch.nn.Module.cuda

    def fake_cuda(self, *a, **k):
        if self.is_leaf and self.requires_grad:
            leaves.append(self)
        return self.to(torch.float64) if self.is_floating_point() else self.clone()

    torch.Tensor.cuda = fake_cuda
    torch.nn.Module.cuda = lambda self, *a, **k: self.double()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            # the quoted loop also backpropagates the same `out` after optimizer.step(), which PyTorch 1.13 rejects
            # at the second iteration (a second mistake in the post); the first iteration is the one measured
            later = gt.raises(lambda: gt.exec_snippet(__file__, {"__name__": "snippet"}))
    finally:
        torch.Tensor.cuda, torch.nn.Module.cuda = tensor_cuda, module_cuda
    printed = out.getvalue().split()
    leaf_grad = leaves[0].grad if leaves else None
    return bool(printed) and printed[0] == "None" and leaf_grad is not None, (
        f"first print(inputs.grad): {printed[:1]}; the CPU leaf made before .cuda() has a .grad: {leaf_grad is not None}; "
        f"second iteration raised {str(later)[:60]}...")


gt.main()
