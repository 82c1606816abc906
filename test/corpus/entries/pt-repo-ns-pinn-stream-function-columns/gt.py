"""Ground truth for pt-repo-ns-pinn-stream-function-columns (correct look-alike): the network has two
outputs, and the snippet splits them into columns (psi, p) before every torch.autograd.grad with
ones, so each derivative is of one field. The snippet's NavierStokes.function is run with the
network replaced by a known field, psi = sin(x) cos(y) exp(-t), p = x y; its u, v, f and g are
compared with the analytic expressions. A trained-like tanh network is also checked: u = dpsi/dy
against central finite differences (float64)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


class Field(torch.nn.Module):
    def forward(self, xyt):
        x, y, t = xyt[:, 0:1], xyt[:, 1:2], xyt[:, 2:3]
        return torch.hstack((torch.sin(x) * torch.cos(y) * torch.exp(-t), x * y))


@gt.case("pt-repo-ns-pinn-stream-function-columns")
def _():
    ns = gt.exec_snippet(__file__)
    rng = np.random.RandomState(0)
    X, Y, T = rng.rand(50, 1) * 2, rng.rand(50, 1) - 0.5, rng.rand(50, 1)
    model = ns["NavierStokes"](X, Y, T, np.zeros((50, 1)), np.zeros((50, 1)))
    model.net = Field()
    u, v, p, f, g = model.function(model.x, model.y, model.t)
    x, y, t = (torch.tensor(a, dtype=torch.float64) for a in (X, Y, T))
    e = torch.exp(-t)
    U = -torch.sin(x) * torch.sin(y) * e
    V = -torch.cos(x) * torch.cos(y) * e
    U_x, U_y, U_t = -torch.cos(x) * torch.sin(y) * e, -torch.sin(x) * torch.cos(y) * e, torch.sin(x) * torch.sin(y) * e
    U_xx = U_yy = torch.sin(x) * torch.sin(y) * e
    V_x, V_y, V_t = torch.sin(x) * torch.cos(y) * e, torch.cos(x) * torch.sin(y) * e, torch.cos(x) * torch.cos(y) * e
    V_xx = V_yy = torch.cos(x) * torch.cos(y) * e
    nu = ns["nu"]
    F = U_t + U * U_x + V * U_y + y - nu * (U_xx + U_yy)
    G = V_t + U * V_x + V * V_y + x - nu * (V_xx + V_yy)
    err = max(gt.rel_err(u, U), gt.rel_err(v, V), gt.rel_err(f, F), gt.rel_err(g, G))

    torch.manual_seed(0)
    model.network()
    net = model.net.double()
    xd, yd, td = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (X, Y, T))
    u_net = ns["NavierStokes"].function(model, xd, yd, td)[0]

    def psi(xyt):
        with torch.no_grad():
            return net(torch.tensor(xyt))[:, 0].numpy()

    fd = gt.fd_gradient(psi, np.hstack([X, Y, T]))[:, 1:2]
    err_net = gt.rel_err(u_net, fd)
    return not (err < 1e-5 and err_net < 1e-6), f"analytic field: max rel err of u, v, f, g = {gt.fmt(err)} (float32); tanh network: u vs FD of psi_y, rel err {gt.fmt(err_net)}"


gt.main()
