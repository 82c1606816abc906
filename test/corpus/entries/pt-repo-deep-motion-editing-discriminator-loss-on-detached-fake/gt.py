import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


class GAN_loss(nn.Module):
    """LSGAN criterion against a constant real/fake target (the repository's GAN_loss in 'lsgan' mode)."""

    def forward(self, pred, real):
        return ((pred - (1.0 if real else 0.0)) ** 2).mean()


class ImagePool:
    """A pool of size 0: returns the images it is given (the repository's ImagePool with pool_size 0)."""

    def query(self, x):
        return x


@gt.case("pt-repo-deep-motion-editing-discriminator-loss-on-detached-fake")
def _():
    # The snippet's class as quoted, on two topologies: each with a linear generator (a stand-in for the retargeting
    # decoder that makes fake_pos) and a linear discriminator; forward() makes the fake poses from a latent.
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        source = fh.read().replace("from models.utils import GAN_loss, ImagePool\n", "").replace(
            "from models.base_model import BaseModel\n", "")
    ns = {"GAN_loss": GAN_loss, "ImagePool": ImagePool, "BaseModel": object}
    exec(compile(source, "snippet.py", "exec"), ns)
    torch.manual_seed(0)
    m = ns["GAN_model"]()
    m.n_topology = 2
    gens = [nn.Linear(3, 4) for _ in range(2)]
    m.models = [types.SimpleNamespace(discriminator=nn.Linear(4, 1)) for _ in range(2)]
    m.criterion_gan = GAN_loss()
    m.fake_pools = [ImagePool(), ImagePool()]
    m.args = types.SimpleNamespace(lambda_rec=1.0)
    m.optimizerG = torch.optim.SGD([p for g in gens for p in g.parameters()], lr=0.1)
    m.optimizerD = torch.optim.SGD([p for d in m.models for p in d.discriminator.parameters()], lr=0.1)
    latent = torch.randn(5, 3)

    def forward():
        m.fake_pos = [gens[dst](latent) for src in range(2) for dst in range(2)]
        m.pos_ref = [torch.randn(5, 4), torch.randn(5, 4)]
        m.rec_loss = sum((g(latent) ** 2).mean() for g in gens) * 0.0

    m.forward = forward
    d_before = [p.detach().clone() for d in m.models for p in d.discriminator.parameters()]
    g_before = [p.detach().clone() for g in gens for p in g.parameters()]
    m.optimize_parameters()
    g_moved = max(float((p - q).abs().max()) for p, q in zip([p for g in gens for p in g.parameters()], g_before))
    d_moved = max(float((p - q).abs().max()) for p, q in zip([p for d in m.models for p in d.discriminator.parameters()], d_before))
    return not (g_moved > 0 and d_moved > 0), f"generators moved {gt.fmt(g_moved)} (adversarial term only), discriminators moved {gt.fmt(d_moved)}"


gt.main()
