"""Ground truth for pt-forum-pinn-pde-loss-requires-grad-on-output-ok: pde_loss on a float64 tanh model
u(x, t) = mlp([x, t]); u_t and u_xx (recomputed the snippet's way) against central finite differences, and the
loss's gradient with respect to the weights."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-pinn-pde-loss-requires-grad-on-output-ok"


@gt.case(CASE)
def _():
    net = gt.mlp(2, 1)

    def model(x, t):
        return net(torch.cat([x, t], dim=1))

    ns = gt.exec_snippet(__file__, {"device": "cpu", "alpha_t": 0.1})
    x = torch.rand(32, 1, dtype=torch.float64)
    t = torch.rand(32, 1, dtype=torch.float64)
    err = gt.raises(lambda: ns["pde_loss"](model, x, t, 1.0, 0.0))
    if err is not None:
        return True, f"pde_loss raised {err!r}"
    loss = ns["pde_loss"](model, x, t, 1.0, 0.0)
    g = torch.autograd.grad(loss, list(net.parameters()), allow_unused=True)
    # the output bias cannot enter u_t or u_xx, so its gradient is 0 by right; every other tensor must get one
    none_or_zero = any(gi is None or gi.abs().max() == 0 for gi in g[:-1])
    u = model(x, t)
    u_t = torch.autograd.grad(u.sum(), t, create_graph=True)[0]
    u_x = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x.sum(), x)[0]
    h = 1e-4
    with torch.no_grad():
        fd_t = (model(x, t + h) - model(x, t - h)) / (2 * h)
        fd_xx = (model(x + h, t) - 2 * model(x, t) + model(x - h, t)) / h ** 2
    e = max(gt.rel_err(u_t, fd_t), gt.rel_err(u_xx, fd_xx))
    return none_or_zero or e > 1e-4, f"u_t, u_xx vs FD: rel err {gt.fmt(e)}; gradient of the loss for every weight tensor but the output bias and nonzero: {not none_or_zero}"


gt.main()
