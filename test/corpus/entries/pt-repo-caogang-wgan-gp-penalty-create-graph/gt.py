import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import autograd  # noqa: E402

CASE = "pt-repo-caogang-wgan-gp-penalty-create-graph"
BATCH = 16


@gt.case(CASE)
def _():
    torch.set_default_dtype(torch.float64)
    try:
        ns = gt.exec_snippet(__file__, {"torch": torch, "autograd": autograd, "BATCH_SIZE": BATCH,
                                        "use_cuda": False, "LAMBDA": 0.1})
        netD = gt.mlp(2, 1)
        real, fake = torch.randn(BATCH, 2), torch.randn(BATCH, 2)
        torch.manual_seed(5)
        gp = ns["calc_gradient_penalty"](netD, real, fake)
        params = list(netD.parameters())
        # the output bias does not change the input gradient: allow_unused, and count it as 0
        g = [torch.zeros_like(p) if a is None else a for p, a in zip(params, autograd.grad(gp, params, allow_unused=True))]
        v = [torch.randn_like(p) for p in params]
        h = 1e-6

        def at(s):
            with torch.no_grad():
                for p, d in zip(params, v):
                    p.add_(s * h * d)
            torch.manual_seed(5)  # same interpolation weights
            val = float(ns["calc_gradient_penalty"](netD, real, fake))
            with torch.no_grad():
                for p, d in zip(params, v):
                    p.sub_(s * h * d)
            return val
        fd = (at(1) - at(-1)) / (2 * h)
        ad = float(sum((a * d).sum() for a, d in zip(g, v)))
        rel = abs(ad - fd) / max(abs(fd), 1e-12)
        # the critic's input gradient itself, against finite differences
        x = torch.randn(BATCH, 2)
        xg = x.clone().requires_grad_(True)
        dx = autograd.grad(netD(xg).sum(), xg)[0]
        fdx = gt.fd_gradient(lambda a: netD(torch.from_numpy(a)).detach().numpy(), x.numpy())
        rel_x = gt.rel_err(dx, fdx)
    finally:
        torch.set_default_dtype(torch.float32)
    return rel > 1e-5 or rel_x > 1e-6, (f"penalty's weight gradient along a random direction {gt.fmt(ad)} vs finite "
                                        f"differences {gt.fmt(fd)} (rel err {gt.fmt(rel)}); critic input gradient vs FD rel err {gt.fmt(rel_x)}")


gt.main()
