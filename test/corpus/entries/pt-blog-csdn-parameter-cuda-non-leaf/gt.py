import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-csdn-parameter-cuda-non-leaf"


@gt.case(CASE)
def _():
    # CPU only: .cuda() is replaced by the differentiable copy a device transfer makes (to() onto another device).
    original = torch.Tensor.cuda
    torch.Tensor.cuda = lambda t, *a, **k: t.clone()
    try:
        module = torch.nn.Module()
        gt.exec_snippet(__file__, {"torch": torch, "self": module, "num": 4})
    finally:
        torch.Tensor.cuda = original
    registered = [n for n, _ in module.named_parameters()]
    loss = (module.factor * torch.arange(4.0)).sum()
    loss.backward()
    grad = module.factor.grad
    return grad is None and "factor" not in registered, \
        f"registered parameters {registered}; self.factor.is_leaf={module.factor.is_leaf}; grad after backward: {grad}"


gt.main()
