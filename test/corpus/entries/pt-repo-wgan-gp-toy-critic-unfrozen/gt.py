"""Ground truth for pt-repo-wgan-gp-toy-critic-unfrozen (correct look-alike). The snippet's own loop
(critic requires_grad reset to True before each critic phase, set False only for the generator
phase) runs for three generator iterations, once with LAMBDA = 0.1 and once with LAMBDA = 0 (same
seeds): the critics must differ, i.e. the penalty reaches the critic. Then the gradient of the
snippet's calc_gradient_penalty with respect to one critic weight is compared with central finite
differences on a float64 copy of the trained critic."""
import copy
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


class Gen(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, noise, real_data):
        return self.net(noise)


class Data:
    def __init__(self):
        self.rng = np.random.RandomState(0)

    def next(self):
        centers = np.array([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [0.0, -2.0]])
        pts = centers[self.rng.randint(0, 4, 64)] + 0.05 * self.rng.randn(64, 2)
        return (pts / 1.414).astype("float32")


def run(lam):
    torch.manual_seed(0)
    # one/mone: 0-dim, since PyTorch >= 0.4 rejects a [1]-shaped gradient for the 0-dim D_real.mean()
    names = {"xrange": range, "ITERS": 3, "CRITIC_ITERS": 5, "BATCH_SIZE": 64, "DIM": 32, "LAMBDA": lam,
             "use_cuda": False, "FIXED_GENERATOR": False, "data": Data(), "netG": Gen(),
             "one": torch.tensor(1.0), "mone": torch.tensor(-1.0)}
    return gt.exec_snippet(__file__, names)


@gt.case("pt-repo-wgan-gp-toy-critic-unfrozen")
def _():
    ns = run(0.1)
    ns0 = run(0.0)
    moved = max(float((a - b).abs().max()) for a, b in zip(ns["netD"].parameters(), ns0["netD"].parameters()))
    frozen_after = not any(p.requires_grad for p in ns["netD"].parameters())

    # finite differences of the snippet's penalty w.r.t. one weight of the (float64) critic
    netD = copy.deepcopy(ns["netD"]).double()
    for p in netD.parameters():
        p.requires_grad = True
    real = torch.tensor(Data().next(), dtype=torch.float64)
    fake = real.flip(0) + 0.3
    w = netD.main[2].weight

    def penalty():
        torch.manual_seed(5)
        return ns["calc_gradient_penalty"](netD, real, fake)

    g = torch.autograd.grad(penalty(), w)[0][3, 7].item()
    h = 1e-6
    with torch.no_grad():
        w[3, 7] += h
    up = penalty().item()
    with torch.no_grad():
        w[3, 7] -= 2 * h
    down = penalty().item()
    with torch.no_grad():
        w[3, 7] += h
    fd = (up - down) / (2 * h)
    rel = abs(g - fd) / max(abs(fd), 1e-12)
    ok = moved > 0 and rel < 1e-4 and abs(fd) > 1e-8
    return not ok, (
        f"critic parameters with LAMBDA=0.1 vs 0 differ by {gt.fmt(moved)} (critic left frozen after the "
        f"generator phase: {frozen_after}); d penalty / d W[3,7]: autograd {gt.fmt(g)}, FD {gt.fmt(fd)}, "
        f"rel err {gt.fmt(rel)}"
    )


gt.main()
