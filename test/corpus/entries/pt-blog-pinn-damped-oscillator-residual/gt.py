import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-pinn-damped-oscillator-residual"


@gt.case(CASE)
def _():
    model = gt.mlp(1, 1)
    t = torch.linspace(0.0, 1.0, 25, dtype=torch.float64).reshape(-1, 1)
    ns = gt.exec_snippet(__file__, {"torch": torch, "model": model, "t": t, "zeta": 0.05, "omega0": 6.283})
    # u'' against central finite differences of the network itself
    h = 1e-4
    with torch.no_grad():
        tt = t.detach()
        fd = (model(tt + h) - 2 * model(tt) + model(tt - h)) / h ** 2
    err = gt.rel_err(ns["d2u_dt2"], fd)
    model.zero_grad()
    ns["physics_loss"].backward()
    gnorm = gt.norm_of(gt.param_grads(model))
    return not (err < 1e-4 and gnorm > 0), f"u_tt vs FD rel err {gt.fmt(err)}; |grad physics_loss wrt weights| {gt.fmt(gnorm)}"


gt.main()
