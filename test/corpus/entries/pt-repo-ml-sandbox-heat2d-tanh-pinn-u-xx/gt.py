"""Ground truth for pt-repo-ml-sandbox-heat2d-tanh-pinn-u-xx (correct look-alike): the snippet's Tanh PINN and
training loop (n_epochs shortened to 3). u_xx is compared with a central second finite difference in x, and the
PDE residual's gradient with respect to the weights is checked to be non-zero."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-ml-sandbox-heat2d-tanh-pinn-u-xx")
def _():
    src = open(os.path.join(os.path.dirname(__file__), "snippet.py")).read().replace("n_epochs = 1000", "n_epochs = 3")
    ns = {"__name__": "snippet"}
    exec(compile(src, "snippet.py", "exec"), ns)
    model = ns["model"].double()
    x = torch.rand(50, 1, dtype=torch.float64, requires_grad=True)
    y = torch.rand(50, 1, dtype=torch.float64)
    t = torch.rand(50, 1, dtype=torch.float64)
    u = model(x, y, t)
    u_x = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, x, torch.ones_like(u_x), create_graph=True)[0]
    h = 1e-4
    with torch.no_grad():
        xd = x.detach()
        fd = (model(xd + h, y, t) - 2 * model(xd, y, t) + model(xd - h, y, t)) / h ** 2
    err = gt.rel_err(u_xx, fd)
    res = (u_xx ** 2).mean()
    g = torch.autograd.grad(res, list(model.parameters()), allow_unused=True)
    gn = gt.norm_of([z for z in g if z is not None])
    return not (err < 1e-4 and gn > 0), f"u_xx vs second finite difference: rel err {gt.fmt(err)}; |d mean(u_xx^2)/d weights| = {gt.fmt(gn)}"


gt.main()
