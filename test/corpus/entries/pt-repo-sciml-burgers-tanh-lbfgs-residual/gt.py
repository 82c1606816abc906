"""Ground truth for pt-repo-sciml-burgers-tanh-lbfgs-residual (correct look-alike): the workspace's PINN (model.py)
and the snippet's burgers_residual (taken from the snippet's text; the data set module is not quoted). u_xx by the
same nested autograd.grad is compared with a central second finite difference, and the PDE loss's gradient with
respect to the weights is checked to be non-zero."""
import ast
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-sciml-burgers-tanh-lbfgs-residual")
def _():
    torch.manual_seed(0)
    mns = {"__name__": "model"}
    exec(compile(open(os.path.join(HERE, "workspace", "model.py")).read(), "model.py", "exec"), mns)
    model = mns["PINN"]().double()
    tree = ast.parse(open(os.path.join(HERE, "snippet.py")).read())
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "burgers_residual")
    ns = {"torch": torch, "nu": 0.01 / np.pi}
    exec(compile(ast.Module(body=[fn], type_ignores=[]), "snippet.py", "exec"), ns)
    x0 = torch.rand(40, 1, dtype=torch.float64)
    t = torch.rand(40, 1, dtype=torch.float64)
    x = x0.clone().requires_grad_(True)
    u = model(x, t)
    u_x = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, x, torch.ones_like(u_x), create_graph=True)[0]
    h = 1e-4
    with torch.no_grad():
        fd = (model(x0 + h, t) - 2 * model(x0, t) + model(x0 - h, t)) / h ** 2
    err = gt.rel_err(u_xx, fd)
    f_res = ns["burgers_residual"](model, x0.clone(), t.clone())
    loss = (f_res ** 2).mean()
    g = torch.autograd.grad(loss, list(model.parameters()), allow_unused=True)
    gn = gt.norm_of([z for z in g if z is not None])
    return not (err < 1e-4 and gn > 0), f"u_xx vs second finite difference: rel err {gt.fmt(err)}; |d loss_pde/d weights| = {gt.fmt(gn)}"


gt.main()
