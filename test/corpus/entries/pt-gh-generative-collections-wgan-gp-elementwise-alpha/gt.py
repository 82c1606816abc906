"""Ground truth for pt-gh-generative-collections-wgan-gp-elementwise-alpha: the snippet's train() needs
the whole WGAN_GP object and a data set, so its alpha and x_hat lines (the CPU branch), taken from the
snippet's text, run on MNIST-shaped batches (N, 1, 28, 28). Per sample, x_hat is projected on the line
through x_ and G_: the distance to the segment, relative to |x_ - G_|, is ~0 for a per-sample alpha and
large for the snippet's per-element alpha. alpha of shape (N, 1, 1, 1) is the control."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd import Variable  # noqa: E402


def lines():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    src = open(path, encoding="utf-8").read()
    alpha = re.search(r"^ *(alpha = torch\.rand\(x_\.size\(\)\))$", src, re.M).group(1)
    x_hat = re.search(r"^ *(x_hat = Variable\(.*\))$", src, re.M).group(1)
    return alpha, x_hat


def off_segment(alpha_line, x_hat_line):
    torch.manual_seed(0)
    ns = {"torch": torch, "Variable": Variable, "x_": torch.rand(8, 1, 28, 28), "G_": torch.rand(8, 1, 28, 28)}
    exec(alpha_line, ns)
    exec(x_hat_line, ns)
    x, real, fake = ns["x_hat"].detach(), ns["x_"], ns["G_"]
    d = (real - fake).view(8, -1)
    r = (x - fake).view(8, -1)
    a = ((r * d).sum(1) / (d * d).sum(1)).clamp(0, 1)
    return float(((r - a[:, None] * d).norm(dim=1) / d.norm(dim=1)).max())


@gt.case("pt-gh-generative-collections-wgan-gp-elementwise-alpha")
def _():
    alpha, x_hat = lines()
    dist = off_segment(alpha, x_hat)
    dist_fix = off_segment("alpha = torch.rand(x_.size(0), 1, 1, 1)", x_hat)
    return dist > 0.1 and dist_fix < 1e-5, (
        f"max distance of x_hat from its x_-G_ segment / |x_ - G_|: snippet `{alpha}` {gt.fmt(dist)}, "
        f"alpha per sample {gt.fmt(dist_fix)}")


gt.main()
