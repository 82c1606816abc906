"""Ground truth for pt-forum-pinn-diff-helper-heat-ok: model([x, t]) is a float64 tanh MLP on cat([x, t]);
diff(u, [x, x]) and diff(u, [t]) against central finite differences; the heat residual's weight gradient."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-pinn-diff-helper-heat-ok"


@gt.case(CASE)
def _():
    net = gt.mlp(2, 1)

    def model(inputs):
        return net(torch.cat(inputs, dim=1))

    x = torch.rand(32, 1, dtype=torch.float64, requires_grad=True)
    t = torch.rand(32, 1, dtype=torch.float64, requires_grad=True)
    ns = gt.exec_snippet(__file__, {"model": model, "x": x, "t": t})
    u = ns["u"]
    u_xx = ns["diff"](u, [x, x])
    u_t = ns["diff"](u, [t])
    h = 1e-4
    with torch.no_grad():
        fd_xx = (model([x + h, t]) - 2 * model([x, t]) + model([x - h, t])) / h ** 2
        fd_t = (model([x, t + h]) - model([x, t - h])) / (2 * h)
    e = max(gt.rel_err(u_xx, fd_xx), gt.rel_err(u_t, fd_t))
    res = ns["heat"](u, x, t)
    g = torch.autograd.grad((res ** 2).mean(), list(net.parameters())[0])[0]
    return bool(e > 1e-4 or g.abs().max() == 0), f"u_xx, u_t vs FD: rel err {gt.fmt(e)}; |d residual loss / d W1| = {gt.fmt(g.norm().item())}"


gt.main()
