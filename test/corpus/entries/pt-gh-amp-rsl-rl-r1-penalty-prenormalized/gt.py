import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import autograd, nn  # noqa: E402

CASE = "pt-gh-amp-rsl-rl-r1-penalty-prenormalized"


class Normalizer(nn.Module):
    """Stands in for EmpiricalNormalization: (x - mean) / (std + eps) with fixed statistics."""

    def __init__(self, mean, std):
        super().__init__()
        self.mean, self.std = mean, std

    def forward(self, x):
        return (x - self.mean) / (self.std + 1e-2)


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"nn": nn, "torch": torch, "autograd": autograd})
    torch.manual_seed(0)
    obs = 3
    mean, std = torch.randn(obs, dtype=torch.float64), torch.rand(obs, dtype=torch.float64) * 4 + 2

    class D(ns["Discriminator"]):
        def __init__(self):
            nn.Module.__init__(self)
            self.trunk = nn.Sequential(nn.Linear(2 * obs, 16), nn.Tanh()).double()
            self.linear = nn.Linear(16, 1).double()
            self.amp_normalizer = Normalizer(mean, std)
            self.use_minibatch_std = False
            self.loss_type = "BCEWithLogits"
            self.loss_fun = nn.BCEWithLogitsLoss()

    d = D()
    raw = (torch.randn(32, obs, dtype=torch.float64) * 3, torch.randn(32, obs, dtype=torch.float64) * 3)
    logits = torch.zeros(32, 1, dtype=torch.float64)
    _, pen = d.compute_loss(logits, logits, raw, raw, lambda_=10)

    # The penalty in the space of the discriminator's real input: gradient w.r.t. the raw observations.
    x = torch.cat(raw, -1).requires_grad_(True)
    s, n = torch.split(x, obs, dim=-1)
    scores = d.linear(d.trunk(torch.cat([d.amp_normalizer(s), d.amp_normalizer(n)], -1)))
    g = torch.autograd.grad(scores.sum(), x)[0]
    ref = 0.5 * 10 * g.pow(2).sum(dim=1).mean()
    err = abs(pen.item() - ref.item()) / ref.item()
    return err > 1e-3, f"penalty w.r.t. normalized states {gt.fmt(pen.item())} vs w.r.t. raw states {gt.fmt(ref.item())} (rel diff {gt.fmt(err)})"


gt.main()
