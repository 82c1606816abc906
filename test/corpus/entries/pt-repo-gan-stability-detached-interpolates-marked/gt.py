import copy
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-repo-gan-stability-detached-interpolates-marked"


class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(2 * 3 * 3, 8), nn.Tanh(), nn.Linear(8, 1))

    def forward(self, x, y):
        return self.net(x)


class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 18)

    def forward(self, z, y):
        return self.lin(z).view(-1, 2, 3, 3)


def run(ns, reg_type, reg_param):
    torch.manual_seed(0)
    g, d = G().double(), D().double()
    trainer = ns["Trainer"](g, d, torch.optim.SGD(g.parameters(), lr=0.1), torch.optim.SGD(d.parameters(), lr=0.1),
                            "wgan", reg_type, reg_param)
    x = torch.rand(6, 2, 3, 3, dtype=torch.float64)
    y = torch.zeros(6, dtype=torch.long)
    z = torch.randn(6, 4, dtype=torch.float64)
    _, reg = trainer.discriminator_trainstep(x, y, z)
    return torch.cat([p.detach().flatten() for p in d.parameters()]), reg


@gt.case(CASE)
def _():
    # The snippet's own Trainer: each regularizer (R1 on real, R1 on fake, WGAN-GP on interpolates that are detached
    # and then marked) runs without error and moves the critic's parameters (compared with reg_param = 0).
    ns = gt.exec_snippet(__file__)
    moved = {}
    for kind in ("real", "fake", "wgangp"):
        base, _ = run(ns, kind, 0.0)
        with_reg, reg = run(ns, kind, 10.0)
        moved[kind] = (float((with_reg - base).abs().max()), reg)
    bad = any(m < 1e-9 for m, _ in moved.values())
    return bad, "; ".join(f"{k}: reg {gt.fmt(r)}, parameters moved by {gt.fmt(m)}" for k, (m, r) in moved.items())


gt.main()
