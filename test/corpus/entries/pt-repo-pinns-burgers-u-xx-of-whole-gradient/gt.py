import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pinns-burgers-u-xx-of-whole-gradient"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    net = ns["Net"]()
    seen = []
    mse = net.criterion
    net.criterion = lambda a, b: (seen.append((a, b)), mse(a, b))[1]
    net.loss_func()
    du_dxx = seen[1][1] / (0.01 / torch.pi)  # the second argument of the PDE residual, unscaled
    # The true u_xx: differentiate the x column of the gradient alone.
    X = net.X
    u = net.model(X)
    g = torch.autograd.grad(u, X, torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(g[:, 0], X, torch.ones_like(g[:, 0]), create_graph=True)[0][:, 0]
    u_tx = torch.autograd.grad(g[:, 1], X, torch.ones_like(g[:, 1]), create_graph=True)[0][:, 0]
    err = gt.rel_err(du_dxx, u_xx)
    err_sum = gt.rel_err(du_dxx, u_xx + u_tx)
    return err > 1e-4, f"snippet's du_dxx vs true u_xx: rel err {gt.fmt(err)}; vs u_xx + u_tx: {gt.fmt(err_sum)}"


gt.main()
