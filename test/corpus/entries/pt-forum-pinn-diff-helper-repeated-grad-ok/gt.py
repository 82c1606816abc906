import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-pinn-diff-helper-repeated-grad-ok"


@gt.case(CASE)
def _():
    net = gt.mlp(3, 1)

    def model(parts):
        return net(torch.cat(parts, dim=1))

    n = 6
    t = torch.rand(n, 1, dtype=torch.float64, requires_grad=True)
    x = torch.rand(n, 1, dtype=torch.float64, requires_grad=True)
    y = torch.rand(n, 1, dtype=torch.float64, requires_grad=True)
    ns = gt.exec_snippet(__file__, {"torch": torch, "model": lambda parts: model(parts + [y]) if len(parts) == 2 else model(parts), "x": x, "t": t, "y": y})
    diff = ns["diff"]
    u = model([x, t, y])
    u_xx = diff(u, [x, x]).detach().numpy().ravel()
    u_t = diff(u, [t]).detach().numpy().ravel()
    h = 1e-4
    X, T, Y = (v.detach().numpy() for v in (x, t, y))

    def f(xx, tt):
        with torch.no_grad():
            return net(torch.tensor(np.hstack([xx, tt, Y]))).numpy().ravel()

    fd_xx = (f(X + h, T) - 2 * f(X, T) + f(X - h, T)) / h ** 2
    fd_t = (f(X, T + h) - f(X, T - h)) / (2 * h)
    e1, e2 = gt.rel_err(u_xx, fd_xx), gt.rel_err(u_t, fd_t)
    return max(e1, e2) > 1e-4, f"u_xx vs FD rel. err {e1:.2g}; u_t vs FD {e2:.2g}"


gt.main()
