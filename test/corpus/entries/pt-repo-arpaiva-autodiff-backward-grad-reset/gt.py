import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-repo-arpaiva-autodiff-backward-grad-reset"


class Recorder:
    """Collects what the notebook prints (the x.grad tensors) without printing."""

    def __init__(self):
        self.seen = {}

    def __call__(self, label, value=None):
        if value is not None:
            self.seen[label] = value.detach().clone().T


@gt.case(CASE)
def _():
    rec = Recorder()
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {"np": np, "torch": torch, "nn": nn, "autograd": torch.autograd, "print": rec})
    net, x, t = ns["net"], ns["x"], ns["t"]
    x0, t0 = x.detach().double().numpy(), t.detach().double().numpy()

    for layer in net._layers:  # after the readings: evaluate the same weights in float64 for finite differences
        layer.double()

    def u_of(xv):  # u as a function of x at fixed t (rows are independent)
        with torch.no_grad():
            return net(torch.from_numpy(xv), torch.from_numpy(t0)).numpy()

    h = 1e-4
    du = (u_of(x0 + h) - u_of(x0 - h)) / (2 * h)
    d2u = (u_of(x0 + h) - 2 * u_of(x0) + u_of(x0 - h)) / h ** 2
    e1 = gt.rel_err(rec.seen["du/dx ="], du)
    e2 = gt.rel_err(rec.seen["d^2u/dx^2 ="], d2u)
    return e1 > 1e-4 or e2 > 1e-3, f"x.grad after u.backward vs FD du/dx: rel err {gt.fmt(e1)}; after ux.backward vs FD d2u/dx2: {gt.fmt(e2)}"


gt.main()
