import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch.autograd import Variable  # noqa: E402


class Gen(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(3, 4)
        self.lin = nn.Linear(8, 5)

    def forward(self, z, labels):
        return torch.tanh(self.lin(torch.cat((z, self.emb(labels)), 1)))


class Disc(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(3, 4)
        self.lin = nn.Linear(9, 1)

    def forward(self, img, labels):
        return torch.sigmoid(self.lin(torch.cat((img, self.emb(labels)), 1)))


@gt.case("pt-gh-pytorch-gan-cgan-discriminator-loss-on-detached-fake")
def _():
    # The snippet as quoted, on a small conditional generator and discriminator (5-dimensional "images").
    torch.manual_seed(0)
    np.random.seed(0)
    generator, discriminator = Gen(), Disc()
    names = {
        "np": np, "Variable": Variable, "FloatTensor": torch.FloatTensor, "LongTensor": torch.LongTensor,
        "batch_size": 8, "opt": types.SimpleNamespace(latent_dim=4, n_classes=3),
        "generator": generator, "discriminator": discriminator, "adversarial_loss": nn.MSELoss(),
        "optimizer_G": torch.optim.SGD(generator.parameters(), lr=0.0),
        "optimizer_D": torch.optim.SGD(discriminator.parameters(), lr=0.0),
        "valid": torch.ones(8, 1), "fake": torch.zeros(8, 1),
        "real_imgs": torch.randn(8, 5), "labels": torch.randint(0, 3, (8,)),
    }
    ns = gt.exec_snippet(__file__, names)
    g_grad = float(generator.lin.weight.grad.abs().max())
    d_fake_to_d = torch.autograd.grad(ns["d_fake_loss"], discriminator.lin.weight, retain_graph=True)[0]
    d_fake_to_g = torch.autograd.grad(ns["d_fake_loss"], generator.lin.weight, allow_unused=True)[0]
    ok = g_grad > 0 and float(d_fake_to_d.abs().max()) > 0 and d_fake_to_g is None
    return not ok, (f"generator gradient from g_loss {gt.fmt(g_grad)}; the fake-image term reaches the discriminator "
                    f"({gt.fmt(float(d_fake_to_d.abs().max()))}) and not the generator ({d_fake_to_g is None})")


gt.main()
