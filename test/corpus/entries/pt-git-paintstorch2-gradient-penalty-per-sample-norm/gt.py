import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-git-paintstorch2-gradient-penalty-per-sample-norm"


class Critic(nn.Module):
    """A small conditional critic D(x, f): image and feature map concatenated on the channel axis, one score each."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3 + 2, 8, 3, padding=1), nn.Tanh(), nn.Flatten(), nn.Linear(8 * 8 * 8, 1))

    def forward(self, x, f):
        return self.net(torch.cat([x, f], dim=1))


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    D = Critic()
    real = torch.rand(4, 3, 8, 8)
    fake = torch.rand(4, 3, 8, 8)  # the generator's output, detached as for a critic step
    f = torch.rand(4, 2, 8, 8)
    gp = ns["GradientPenalty"](10.0)

    torch.manual_seed(1)
    value = gp(D, real, fake, f)

    # The WGAN-GP penalty: the gradient norm of each sample (over all its channels and pixels) pushed towards 1,
    # at the same points t (same alpha, same seed).
    torch.manual_seed(1)
    alpha = torch.rand((real.size(0), 1, 1, 1))
    t = (alpha * real - (1 - alpha) * fake).requires_grad_(True)
    g = torch.autograd.grad(D(t, f).sum(), t, create_graph=True)[0]
    reference = 10.0 * ((g.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
    rel = abs(float(value) - float(reference)) / max(abs(float(reference)), 1e-12)
    trains = torch.autograd.grad(value, list(D.parameters()), allow_unused=True)[0] is not None
    return rel > 1e-3 or not trains, (f"penalty {gt.fmt(float(value))} vs per-sample WGAN-GP penalty "
                                      f"{gt.fmt(float(reference))} (rel. diff {gt.fmt(rel)}); reaches the critic's "
                                      f"weights: {trains}")


gt.main()
