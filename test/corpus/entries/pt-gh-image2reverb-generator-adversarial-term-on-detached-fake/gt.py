import os
import sys
import textwrap
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-image2reverb-generator-adversarial-term-on-detached-fake"


class Enc(nn.Module):
    """Stands in for the image encoder: returns a tuple whose first item is a feature map."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        return (self.conv(x),)


class Disc(nn.Module):
    """Stands in for the conditional discriminator D(spec, f): a score per sample."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(1, 2, 3, padding=1)
        self.b = nn.Conv2d(4, 2, 3, padding=1)

    def forward(self, spec, f):
        return torch.sigmoid((self.a(spec) + self.b(f)).mean(dim=(1, 2, 3)))


@gt.case(CASE)
def _():
    # The snippet's generator-step lines (from the forward passes to G_loss), run with a small encoder, a 1x1 conv
    # generator and a conv discriminator (pytorch_lightning is not installed here; the module's `self` is a namespace).
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    start = next(i for i, l in enumerate(lines) if "# Forward passes" in l)
    end = next(i for i, l in enumerate(lines) if "G_loss = G_loss1" in l)
    body = [l for l in lines[start:end + 1] if "optimizer_idx" not in l and "# Train" not in l]
    block = textwrap.dedent("\n".join(l if l.startswith("        ") else "        " + l.strip() for l in body))
    block = "\n".join(l.strip() for l in block.splitlines())
    torch.manual_seed(0)
    me = types.SimpleNamespace(enc=Enc(), g=nn.Sequential(nn.Conv2d(8, 1, 1), nn.Tanh()), d=Disc(),
                               _latent_dimension=8, device="cpu")
    spec, label = torch.randn(4, 1, 6, 6), torch.randn(4, 3, 6, 6)
    ns = {"self": me, "torch": torch, "F": F, "LAMBDA": 100, "spec": spec, "label": label}
    exec(compile(block, "snippet.py", "exec"), ns)
    params = list(me.g.parameters())
    total = torch.autograd.grad(ns["G_loss"], params, retain_graph=True)
    recon = torch.autograd.grad(100 * ns["G_loss2"], params, retain_graph=True)
    diff = max(float((a - b).abs().max()) for a, b in zip(total, recon))
    return diff < 1e-12, (f"adversarial term {gt.fmt(float(ns['G_loss1']))} in the generator loss; its share of the "
                          f"generator's gradient {gt.fmt(diff)}")


gt.main()
