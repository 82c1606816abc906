import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-repo-pinn-wss-stenosis-scaled-residual"


@gt.case(CASE)
def _():
    # The repository's criterion (nested in geo_train there) takes coordinates scaled by X_scale, Y_scale (the data
    # points are divided by them at the end of the snippet) and divides each derivative by the scales in the residual.
    # Check: the continuity term loss_3 built from autograd on scaled inputs equals u_x + v_y in physical coordinates
    # (finite differences of the physical fields x_p = X_scale * x). The snippet's module-level data lines need
    # x_data / y_data, given here.
    torch.manual_seed(0)
    net_u, net_v, net_p = gt.mlp(2, 1), gt.mlp(2, 1, width=12), gt.mlp(2, 1, width=10)
    names = {"torch": torch, "nn": nn, "net2_u": net_u, "net2_v": net_v, "net2_p": net_p, "Diff": 0.001, "rho": 1.0,
             "x_data": np.array([1.0, 1.2]), "y_data": np.array([0.15, 0.07])}
    ns = gt.exec_snippet(__file__, names)
    X_scale, Y_scale = ns["X_scale"], ns["Y_scale"]
    captured = {}
    real_mse = nn.MSELoss

    class Capture(real_mse):
        def forward(self, a, b):
            captured.setdefault("terms", []).append(a.detach().clone())
            return super().forward(a, b)

    ns["nn"] = type("NN", (), {"MSELoss": Capture})
    phys = np.random.rand(16, 2) * [X_scale, Y_scale]
    x = torch.tensor(phys[:, :1] / X_scale)
    y = torch.tensor(phys[:, 1:] / Y_scale)
    ns["criterion"](x, y)
    loss_3 = captured["terms"][2].numpy().reshape(-1)

    def field(net, k):
        def f(p):
            with torch.no_grad():
                return net(torch.from_numpy(p / [X_scale, Y_scale])).numpy().reshape(-1)
        return f

    du = gt.fd_gradient(field(net_u, 0), phys)
    dv = gt.fd_gradient(field(net_v, 1), phys)
    want = du[:, 0] + dv[:, 1]
    err = gt.rel_err(loss_3, want)
    return err > 1e-5, f"continuity term vs u_x + v_y in physical coordinates (finite differences): rel err {gt.fmt(err)}"


gt.main()
