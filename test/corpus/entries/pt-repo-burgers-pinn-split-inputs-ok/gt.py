import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-burgers-pinn-split-inputs-ok"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    model = gt.mlp(2, 1)
    X_f = torch.rand(64, 2, dtype=torch.float64)
    # The derivative helper as trainPinn uses it, against central finite differences of the model.
    t_f = X_f[:, 0:1].clone().detach().requires_grad_(True)
    x_f = X_f[:, 1:2].clone().detach().requires_grad_(True)
    u_f = model(torch.cat([t_f, x_f], dim=1))
    u_t, u_x = ns["gradients"](u_f, t_f), ns["gradients"](u_f, x_f)
    u_xx = ns["gradients"](u_f, x_f, order=2)

    def f(a):
        with torch.no_grad():
            return model(torch.from_numpy(a)).numpy()

    h = 1e-4
    xs = X_f.numpy()
    e1 = np.array([0.0, h])
    fd_x = (f(xs + e1) - f(xs - e1)) / (2 * h)
    fd_xx = (f(xs + e1) - 2 * f(xs) + f(xs - e1)) / h ** 2
    fd_t = (f(xs + e1[::-1]) - f(xs - e1[::-1])) / (2 * h)
    errs = [gt.rel_err(u_t, fd_t), gt.rel_err(u_x, fd_x), gt.rel_err(u_xx, fd_xx)]
    # And the training step runs and lowers the loss.
    X_u, u = torch.rand(16, 2, dtype=torch.float64), torch.zeros(16, 1, dtype=torch.float64)
    l0 = float(ns["trainPinn"](model, X_u, u, X_f, 0.01, epochs=1))
    l1 = float(ns["trainPinn"](model, X_u, u, X_f, 0.01, epochs=50))
    bad = max(errs) > 1e-4 or not l1 < l0
    return bad, f"rel err u_t/u_x/u_xx vs finite differences {[f'{e:.1e}' for e in errs]}; loss {l0:.4g} -> {l1:.4g}"


gt.main()
