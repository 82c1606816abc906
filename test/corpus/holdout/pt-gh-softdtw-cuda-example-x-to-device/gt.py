import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-softdtw-cuda-example-x-to-device"


class SoftDTW(torch.nn.Module):
    """Differentiable stand-in for the repository's SoftDTW: a soft-min over pairwise squared distances per batch item."""

    def __init__(self, use_cuda=False, gamma=1.0):
        super().__init__()
        self.gamma = gamma

    def forward(self, x, y):
        d = ((x.unsqueeze(2) - y.unsqueeze(1)) ** 2).sum(-1)  # (B, Lx, Ly)
        return -self.gamma * torch.logsumexp(-d.flatten(1) / self.gamma, dim=1)


@gt.case(CASE)
def _():
    # No GPU here: Tensor.to(<cuda device>) is replaced by what it is for autograd, a differentiable copy.
    real_to = torch.Tensor.to
    created = []
    real_rand = torch.rand

    def rand(*a, **k):
        t = real_rand(*a, **k)
        created.append(t)
        return t

    def to(self, *a, **k):
        dev = a[0] if a else k.get("device")
        if isinstance(dev, torch.device) and dev.type == "cuda":
            return self.clone()
        return real_to(self, *a, **k)

    torch.Tensor.to, torch.rand = to, rand
    try:
        ns = gt.exec_snippet(__file__, {"torch": torch, "SoftDTW": SoftDTW})
    finally:
        torch.Tensor.to, torch.rand = real_to, real_rand
    leaf = created[0]
    x = ns["x"]
    return x.grad is None and leaf.grad is not None and float(leaf.grad.abs().sum()) > 0, (
        f"x.is_leaf={x.is_leaf}, x.grad={None if x.grad is None else 'set'}; the leaf made by torch.rand(..., requires_grad=True) "
        f"has grad with sum |.| {float(leaf.grad.abs().sum()) if leaf.grad is not None else 0:.3g}"
    )


gt.main()
