"""Ground truth for pt-gh-r3gan-zero-centered-penalty (correct look-alike): the snippet's
AccumulateDiscriminatorGradients on a small float64 critic. The R1/R2 penalties are differentiated
with create_graph=True and back-propagated into the critic's weights (no detach, critic trainable):
the weight gradient with Gamma = 10 must differ from Gamma = 0, and the penalties' weight gradient
must match central finite differences of (Gamma / 2) * mean(R1 + R2)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(12, 16), nn.Softplus(), nn.Linear(16, 1))

    def forward(self, x, c):
        return self.net(x).view(-1)


class Gen(nn.Module):
    def forward(self, z, c):
        return z.view(-1, 3, 2, 2) * 0.5


def grads(ns, gamma):
    D = Critic().double()
    trainer = ns["AdversarialTraining"](Gen(), D)
    g = torch.Generator().manual_seed(1)
    noise = torch.randn(8, 12, generator=g, dtype=torch.float64)
    real = torch.randn(8, 3, 2, 2, generator=g, dtype=torch.float64)
    trainer.AccumulateDiscriminatorGradients(noise, real, None, gamma)
    return D, [p.grad.detach().clone() for p in D.parameters()], noise, real


@gt.case("pt-gh-r3gan-zero-centered-penalty")
def _():
    ns = gt.exec_snippet(__file__)
    D, g10, noise, real = grads(ns, 10.0)
    _, g0, _, _ = grads(ns, 0.0)
    penalty_grad = [a - b for a, b in zip(g10, g0)]
    moved = gt.norm_of(penalty_grad)

    P = ns["AdversarialTraining"].ZeroCenteredGradientPenalty
    w = D.net[1].weight

    def penalty_loss():
        r = real.detach().requires_grad_(True)
        f = (noise.view(-1, 3, 2, 2) * 0.5).detach().requires_grad_(True)
        return float((10.0 / 2) * (P(r, D(r, None)) + P(f, D(f, None))).mean())

    h = 1e-6
    with torch.no_grad():
        w[4, 5] += h
    up = penalty_loss()
    with torch.no_grad():
        w[4, 5] -= 2 * h
    down = penalty_loss()
    with torch.no_grad():
        w[4, 5] += h
    fd = (up - down) / (2 * h)
    ag = float(penalty_grad[0][4, 5])
    rel = abs(ag - fd) / max(abs(fd), 1e-12)
    ok = moved > 0 and rel < 1e-5
    return not ok, (f"penalty part of the critic gradient: norm {gt.fmt(moved)}; d/dW[4,5]: autograd {gt.fmt(ag)}, "
                    f"FD {gt.fmt(fd)}, rel err {gt.fmt(rel)}")


gt.main()
