import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-repo-r3gan-r1-r2-penalty-detach-requires-grad"


class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), gt.mlp(4, 1))

    def forward(self, x, c):
        return self.net(x).squeeze(1)


class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(gt.mlp(3, 4), nn.Unflatten(1, (1, 2, 2)))

    def forward(self, z, c):
        return self.net(z)


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "nn": nn})
    torch.manual_seed(0)
    Gm = G()
    Dm = D()
    noise, real = torch.randn(6, 3, dtype=torch.float64), torch.rand(6, 1, 2, 2, dtype=torch.float64)
    trainer = ns["AdversarialTraining"](Gm, Dm)
    trainer.AccumulateDiscriminatorGradients(noise, real, None, Gamma=1.0)
    params = list(Dm.parameters())
    got = [torch.zeros_like(p) if p.grad is None else p.grad.clone() for p in params]
    fake = Gm(noise, None).detach()

    def loss_value():
        def pen(x):
            x = x.clone().requires_grad_(True)
            g, = torch.autograd.grad(Dm(x, None).sum(), x, create_graph=True)
            return g.square().sum([1, 2, 3])
        rl = Dm(real, None) - Dm(fake, None)
        return float((nn.functional.softplus(-rl) + 0.5 * (pen(real) + pen(fake))).mean())

    v = [torch.randn_like(p) for p in params]
    h = 1e-6

    def at(s):
        with torch.no_grad():
            for p, d in zip(params, v):
                p.add_(s * h * d)
        val = loss_value()
        with torch.no_grad():
            for p, d in zip(params, v):
                p.sub_(s * h * d)
        return val
    fd = (at(1) - at(-1)) / (2 * h)
    ad = float(sum((a * d).sum() for a, d in zip(got, v)))
    rel = abs(ad - fd) / max(abs(fd), 1e-12)
    g_untouched = all(p.grad is None for p in Gm.parameters())
    return rel > 1e-5 or not g_untouched, (f"discriminator gradient along a random direction {gt.fmt(ad)} vs FD of the loss "
                                           f"with both penalties {gt.fmt(fd)} (rel err {gt.fmt(rel)}); generator untouched: {g_untouched}")


gt.main()
