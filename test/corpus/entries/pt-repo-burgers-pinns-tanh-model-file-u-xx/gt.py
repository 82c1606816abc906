"""Ground truth for pt-repo-burgers-pinns-tanh-model-file-u-xx (correct look-alike): the workspace's PINN (model.py)
and pde_loss (physics_loss.py). u_xx by the file's nested autograd.grad is compared with a central second finite
difference, and the PDE loss's gradient with respect to the weights is checked to be non-zero. main.py's data
generator (utils.generate_data) is not quoted; collocation points are drawn here."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def load(name):
    ns = {"__name__": name}
    exec(compile(open(os.path.join(HERE, "workspace", name + ".py")).read(), name + ".py", "exec"), ns)
    return ns


@gt.case("pt-repo-burgers-pinns-tanh-model-file-u-xx")
def _():
    torch.manual_seed(0)
    model = load("model")["PINN"](hidden_dim=100).double()
    pde_loss = load("physics_loss")["pde_loss"]
    x = torch.rand(40, 1, dtype=torch.float64)
    t = torch.rand(40, 1, dtype=torch.float64)
    xg = x.clone().requires_grad_(True)
    u = model(xg, t)
    u_x = torch.autograd.grad(u, xg, torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, xg, torch.ones_like(u_x), create_graph=True)[0]
    h = 1e-4
    with torch.no_grad():
        fd = (model(x + h, t) - 2 * model(x, t) + model(x - h, t)) / h ** 2
    err = gt.rel_err(u_xx, fd)
    loss = pde_loss(model, x.clone(), t.clone())
    g = torch.autograd.grad(loss, list(model.parameters()), allow_unused=True)
    gn = gt.norm_of([z for z in g if z is not None])
    return not (err < 1e-4 and gn > 0), f"u_xx vs second finite difference: rel err {gt.fmt(err)}; |d loss_pde/d weights| = {gt.fmt(gn)}"


gt.main()
