import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-pytorch-randn-requires-grad-then-cuda"


@gt.case(CASE)
def _():
    # No GPU here: Tensor.cuda() is replaced by what it is for autograd, a differentiable copy (CopyBackwards), and
    # Module.cuda() by a no-op; the snippet's own text runs unchanged.
    real_t, real_m = torch.Tensor.cuda, torch.nn.Module.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self.clone()
    torch.nn.Module.cuda = lambda self, *a, **k: self
    try:
        ns = gt.exec_snippet(__file__, {"print": lambda *a, **k: None})
    finally:
        torch.Tensor.cuda, torch.nn.Module.cuda = real_t, real_m
    x = ns["x"]
    # the gradient the user wanted, d l / d(the created tensor), through the same two stages
    x_leaf = x.detach().clone().requires_grad_(True)
    h1 = ns["l1"](x_leaf)
    h2 = h1.detach().requires_grad_()
    ns["loss_func"](ns["l2"](h2), ns["t"]).backward()
    h1.backward(gradient=h2.grad)
    wanted = float(x_leaf.grad.abs().max())
    return x.grad is None and wanted > 0, f"x.is_leaf={x.is_leaf}, x.grad={x.grad}; with a leaf x the gradient has max |.| {wanted:.3g}"


gt.main()
