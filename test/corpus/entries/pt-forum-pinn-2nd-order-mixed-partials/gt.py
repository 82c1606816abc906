"""Ground truth for pt-forum-pinn-2nd-order-mixed-partials: the snippet runs on a float64 tanh MLP
u(x, t) with X = [x, t] of shape (n, 2). grads1 differentiates the whole gradient (u_x + u_t
summed by the ones) with respect to X, so grads1[:, 0] = u_xx + u_tx. Compared with u_xx taken
from the u_x column alone, and with the mixed partial u_tx."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-forum-pinn-2nd-order-mixed-partials")
def _():
    mlp = gt.mlp(2, 1)
    X = torch.rand(64, 2, dtype=torch.float64)
    ns = gt.exec_snippet(__file__, {"mlp": mlp, "X": X, "torch": torch})
    Xc = X.detach().clone().requires_grad_(True)
    u = mlp(Xc)
    g = torch.autograd.grad(u.sum(), Xc, create_graph=True)[0]
    h_x = torch.autograd.grad(g[:, 0].sum(), Xc, retain_graph=True)[0]  # (u_xx, u_xt)
    u_xx, u_xt = h_x[:, 0], h_x[:, 1]
    err = gt.rel_err(ns["dpdxx"], u_xx)
    err_sum = gt.rel_err(ns["dpdxx"], u_xx + u_xt)
    return err > 1e-6, f"dpdxx vs true u_xx: rel err {gt.fmt(err)}; dpdxx vs u_xx + u_tx: rel err {gt.fmt(err_sum)}"


gt.main()
