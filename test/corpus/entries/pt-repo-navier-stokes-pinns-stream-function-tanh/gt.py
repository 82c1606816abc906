"""Ground truth for pt-repo-navier-stokes-pinns-stream-function-tanh (correct look-alike): the workspace's PINN
(Model.py) and the snippet's predictions(). u_xx (a third derivative of psi) is compared with a central second
finite difference of u = d psi/dy (itself from autograd), and the momentum residual's loss is checked to give the
weights a non-zero gradient."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-navier-stokes-pinns-stream-function-tanh")
def _():
    torch.manual_seed(0)
    mns = {"__name__": "Model"}
    exec(compile(open(os.path.join(HERE, "workspace", "Model.py")).read(), "Model.py", "exec"), mns)
    model = mns["PINN"]().double()
    ns = gt.exec_snippet(__file__)
    n = 30
    x0 = torch.rand(n, 1, dtype=torch.float64)
    y = torch.rand(n, 1, dtype=torch.float64, requires_grad=True)
    t = torch.rand(n, 1, dtype=torch.float64, requires_grad=True)
    x = x0.clone().requires_grad_(True)
    u, v, p, f, g = ns["predictions"](model, x, y, t)
    u_x = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, x, torch.ones_like(u_x), create_graph=True)[0]

    def u_at(xv):
        xv = xv.clone().requires_grad_(True)
        psi = model(xv, y, t)[:, 0:1]
        return torch.autograd.grad(psi, y, torch.ones_like(psi))[0]

    h = 1e-4
    fd = (u_at(x0 + h) - 2 * u_at(x0) + u_at(x0 - h)) / h ** 2
    err = gt.rel_err(u_xx, fd)
    loss = (f ** 2).mean() + (g ** 2).mean()
    grads = torch.autograd.grad(loss, list(model.parameters()), allow_unused=True)
    gn = gt.norm_of([z for z in grads if z is not None])
    return not (err < 1e-3 and gn > 0), f"u_xx vs finite difference of u: rel err {gt.fmt(err)}; |d residual loss/d weights| = {gt.fmt(gn)}"


gt.main()
