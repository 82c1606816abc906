"""Ground truth for pt-gh-wdgrl-penalty-norm-over-batch: the snippet's gradient_penalty with the WDGRL
critic (320 -> 50 -> 20 -> 1, ReLU) on feature batches of 16. torch.stack makes the interpolates
(3, 16, 320), so gradients.norm(2, dim=1) runs over the 16 samples of the batch, not over the 320
features of each point. Compared with the per-point penalty over the same 48 points (the fix the
thread proposes: torch.cat)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


@gt.case("pt-gh-wdgrl-penalty-norm-over-batch")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    critic = nn.Sequential(nn.Linear(320, 50), nn.ReLU(), nn.Linear(50, 20), nn.ReLU(), nn.Linear(20, 1))
    g = torch.Generator().manual_seed(1)
    h_s, h_t = torch.randn(16, 320, generator=g), torch.randn(16, 320, generator=g) + 0.5
    torch.manual_seed(3)
    penalty = float(ns["gradient_penalty"](critic, h_s, h_t))
    torch.manual_seed(3)
    alpha = torch.rand(16, 1)
    pts = torch.cat([h_s + alpha * (h_t - h_s), h_s, h_t]).requires_grad_()
    grads = torch.autograd.grad(critic(pts).sum(), pts)[0]
    true_penalty = float(((grads.norm(2, dim=1) - 1) ** 2).mean())
    rel = abs(penalty - true_penalty) / max(true_penalty, 1e-12)
    return rel > 0.01, (f"snippet's penalty {gt.fmt(penalty)} (norms over the batch axis, shape "
                        f"{tuple(grads.view(3, 16, 320).norm(2, dim=1).shape)}) vs per-point penalty {gt.fmt(true_penalty)}")


gt.main()
