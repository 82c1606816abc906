import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import numpy as np
import gt, torch


def batch_multiply(a, t):  # advertorch.utils, scalar case
    return a * t


def batch_clamp(eps, t):
    return torch.clamp(t, -eps, eps)


def clamp(t, lo, hi):
    return torch.clamp(t, lo, hi)


@gt.case("pt-gh-advertorch-pgd-gradient-wrt-delta")
def _():
    ns = gt.exec_snippet(__file__, {"np": np, "torch": torch, "batch_multiply": batch_multiply,
                                    "batch_clamp": batch_clamp, "clamp": clamp})
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3)).double()
    x = torch.rand(5, 6, dtype=torch.float64) * 0.6 + 0.2
    y = torch.randint(0, 3, (5,))
    loss_fn = torch.nn.CrossEntropyLoss(reduction="sum")
    eps, step = 0.3, 0.05
    x_adv = ns["perturb_iterative"](x, y, model, nb_iter=3, eps=eps, eps_iter=step, loss_fn=loss_fn)
    # reference: the same iterations with the gradient taken w.r.t. the perturbed input itself
    xr = x.clone()
    for _ in range(3):
        xi = xr.detach().requires_grad_(True)
        g = torch.autograd.grad(loss_fn(model(xi), y), xi)[0]
        xr = torch.clamp(x + torch.clamp(xr + step * g.sign() - x, -eps, eps), 0.0, 1.0)
    err = float((x_adv - xr).abs().max())
    gain = float(loss_fn(model(x_adv), y) - loss_fn(model(x), y))
    return not (err < 1e-12 and gain > 0), f"max |x_adv - PGD with grad w.r.t. x+delta| = {err}; loss increase {gt.fmt(gain)}"


gt.main()
