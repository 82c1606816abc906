"""Ground truth for pt-gh-pytorch-wgan-gp-relu-critic-penalty-ok: the issue's penalty and set-up run as quoted (CPU),
with the critic completed as in the same author's gan_toy.py (three Linear/ReLU layers and a Linear(DIM, 1) output;
the issue cuts it off). The penalty's gradient with respect to the critic's first-layer weights is not zero: a
gradient penalty on a ReLU critic trains it. Control: the input Hessian-vector product of the critic is exactly zero."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch import autograd  # noqa: E402


def run():
    torch.manual_seed(0)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    source = open(path, encoding="utf-8").read()
    ns = {"torch": torch, "nn": nn, "autograd": autograd}
    exec(compile(source.split("netD = nn.Sequential(")[0], path, "exec"), ns)
    dim = ns["DIM"]
    netD = nn.Sequential(nn.Linear(2, dim), nn.ReLU(True), nn.Linear(dim, dim), nn.ReLU(True), nn.Linear(dim, dim), nn.ReLU(True), nn.Linear(dim, 1))
    penalty = ns["calc_gradient_penalty"](netD, ns["noisev"], ns["noise1v"])
    penalty.backward()
    w = float(netD[0].weight.grad.abs().sum())
    x = torch.randn(8, 2, requires_grad=True)
    (g,) = torch.autograd.grad(netD(x).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x, allow_unused=True)
    hv = 0.0 if h is None else float(h.abs().max())
    return w, hv


@gt.case("pt-gh-pytorch-wgan-gp-relu-critic-penalty-ok")
def _():
    w, hv = run()
    return not (w > 0), f"|d penalty / d W1| = {gt.fmt(w)} (trains the critic); input Hessian-vector product max |.| = {gt.fmt(hv)}"


gt.main()
