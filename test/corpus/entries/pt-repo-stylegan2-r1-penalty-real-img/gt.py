import contextlib
import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import autograd  # noqa: E402

CASE = "pt-repo-stylegan2-r1-penalty-real-img"


def r1(D, x):
    x = x.detach().requires_grad_(True)
    g, = autograd.grad(D(x).sum(), x, create_graph=True)
    return g.pow(2).reshape(g.shape[0], -1).sum(1).mean()


@gt.case(CASE)
def _():
    D = torch.nn.Sequential(torch.nn.Flatten(), gt.mlp(4, 1))
    real_img = torch.rand(6, 1, 2, 2, dtype=torch.float64)
    args = SimpleNamespace(d_reg_every=1, r1=10.0, augment=False)
    names = {"autograd": autograd, "conv2d_gradfix": SimpleNamespace(no_weight_gradients=contextlib.nullcontext),
             "pbar": range(1), "i": 0, "real_img": real_img, "ada_aug_p": 0.0}
    ns = gt.exec_snippet(__file__, names)
    d_optim = torch.optim.SGD(D.parameters(), lr=0.0)  # keep the weights to read their .grad
    ns["train"](args, None, None, D, None, d_optim, None, "cpu")
    params = list(D.parameters())
    got = [torch.zeros_like(p) if p.grad is None else p.grad.clone() for p in params]
    v = [torch.randn_like(p) for p in params]
    h = 1e-6

    def at(s):
        with torch.no_grad():
            for p, d in zip(params, v):
                p.add_(s * h * d)
        val = float(r1(D, real_img))
        with torch.no_grad():
            for p, d in zip(params, v):
                p.sub_(s * h * d)
        return val
    fd = args.r1 / 2 * args.d_reg_every * (at(1) - at(-1)) / (2 * h)
    ad = float(sum((a * d).sum() for a, d in zip(got, v)))
    rel = abs(ad - fd) / max(abs(fd), 1e-12)
    return rel > 1e-5, f"discriminator gradient from the R1 step along a random direction {gt.fmt(ad)} vs FD {gt.fmt(fd)} (rel err {gt.fmt(rel)})"


gt.main()
