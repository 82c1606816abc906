import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import autograd  # noqa: E402

CASE = "pt-gh-domainbed-iga-grad-penalty-no-create-graph"


class ERM(torch.nn.Module):
    """Stand-in for DomainBed's ERM base: a small classifier as self.network and an optimizer.
    lr = 0 so that update() leaves the weights where they were and their .grad can be read."""

    def __init__(self, in_features, num_classes, num_domains, hparams):
        super().__init__()
        self.hparams = hparams
        self.network = gt.mlp(in_features, num_classes, width=8)
        self.optimizer = torch.optim.SGD(self.network.parameters(), lr=0.0)


def batches():
    g = torch.Generator().manual_seed(3)
    return [(torch.randn(12, 4, generator=g, dtype=torch.float64), torch.randint(0, 3, (12,), generator=g))
            for _ in range(3)]


def penalty_of(net, minibatches):
    """The IGA penalty written out (value only), for finite differences."""
    params = list(net.parameters())
    losses = [F.cross_entropy(net(x), y) for x, y in minibatches]
    grads = [autograd.grad(l, params, create_graph=True) for l in losses]
    mean_grad = autograd.grad(sum(losses) / len(losses), params, create_graph=True)
    return sum(((g - m) ** 2).sum() for gs in grads for g, m in zip(gs, mean_grad))


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"ERM": ERM, "torch": torch, "F": F, "autograd": autograd})
    lam = 10.0
    algo = ns["IGA"](4, 3, 3, {"penalty": lam})
    mb = batches()
    out = algo.update(mb)
    params = list(algo.network.parameters())
    g_update = [p.grad.detach().clone() for p in params]
    mean_loss = sum(F.cross_entropy(algo.network(x), y) for x, y in mb) / len(mb)
    g_mean = autograd.grad(mean_loss, params)
    share = [a - b for a, b in zip(g_update, g_mean)]  # what the penalty term contributed
    # finite differences of lam * penalty along a random direction of the weights
    v = [torch.randn_like(p) for p in params]
    h = 1e-5
    def shifted(s):
        with torch.no_grad():
            for p, d in zip(params, v):
                p.add_(s * h * d)
        val = float(penalty_of(algo.network, mb))
        with torch.no_grad():
            for p, d in zip(params, v):
                p.sub_(s * h * d)
        return val
    fd = lam * (shifted(1) - shifted(-1)) / (2 * h)
    autograd_dir = float(sum((s * d).sum() for s, d in zip(share, v)))
    rel = abs(autograd_dir - fd) / max(abs(fd), 1e-12)
    return rel > 1e-4, (f"penalty value {gt.fmt(out['penalty'])}; penalty's share of the weight gradient along a "
                        f"random direction {gt.fmt(autograd_dir)} vs finite differences {gt.fmt(fd)} (rel err {gt.fmt(rel)})")


gt.main()
