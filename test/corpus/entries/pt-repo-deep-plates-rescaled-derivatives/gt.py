import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-deep-plates-rescaled-derivatives"
A, B = 10.0, 4.0  # plate size; the notebook uses a = b = 10, where the factors cancel, so a != b here
E, MU, Q = 70.0, 0.3, 1.0


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "a": A, "b": B, "E": E, "mu": MU, "q": Q})
    net_u, net_v = gt.mlp(2, 1), gt.mlp(2, 1, width=12)
    func_u = lambda x: x[:, 0]  # noqa: E731 - hard constraints as in the notebook (zero on the edges)
    func_v = lambda x: x[:, 1]  # noqa: E731
    X_raw = np.random.rand(20, 2) * [A, B]  # physical coordinates
    x = torch.tensor(X_raw / [A, B], requires_grad=True)  # the network's scaled inputs
    got = float(ns["BCx"](x, net_u, func_u, net_v, func_v))

    def field(net, func, scale):  # physical displacement u' = a * u(x'/a, y'/b) (and v' = b * v)
        def f(xr):
            xs = torch.from_numpy(xr / [A, B])
            with torch.no_grad():
                return (scale * net(xs) * func(xs).view(-1, 1)).numpy().reshape(-1)
        return f
    du = gt.fd_gradient(field(net_u, func_u, A), X_raw)
    dv = gt.fd_gradient(field(net_v, func_v, B), X_raw)
    # the same boundary quantities from physical derivatives (stresses of u', v' w.r.t. x', y')
    du_x, du_y, dv_x, dv_y = du[:, 0], du[:, 1], dv[:, 0], dv[:, 1]
    sig_x = (du_x + MU * dv_y) * E / (1 - MU ** 2)
    sig_xy = (dv_x + du_y) * E / (1 + MU) / 2.
    sig11 = Q * np.cos(3.1415 / 2 * x.detach().numpy()[:, 1])
    want = float(np.mean(sig_xy ** 2) + np.mean((sig_x - sig11) ** 2))
    rel = abs(got - want) / abs(want)
    return rel > 1e-6, f"BCx from the notebook {gt.fmt(got)} vs from finite differences of the physical fields {gt.fmt(want)} (rel err {gt.fmt(rel)})"


gt.main()
