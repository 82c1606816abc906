"""Ground truth for pt-repo-burgers-pinn-u-xx-of-u-x (correct look-alike): the snippet's BurgersPINN with
x and t as separate (N, 1) inputs. pde() takes u_t, u_x from u.sum() and u_xx from u_x.sum(): each
row depends only on its own (x, t), so these are the per-point derivatives. The residual is compared
with one built from central finite differences (first and second) of the same float64 network."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-burgers-pinn-u-xx-of-u-x")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    pinn = ns["BurgersPINN"](device="cpu").double()
    x = (torch.rand(64, 1, dtype=torch.float64) * 2 - 1).requires_grad_(True)
    t = torch.rand(64, 1, dtype=torch.float64, requires_grad=True)
    res = pinn.pde(x, t).detach().numpy()[:, 0]

    def u(xx, tt):
        with torch.no_grad():
            return pinn(torch.tensor(xx), torch.tensor(tt)).numpy()[:, 0]

    X, T = x.detach().numpy(), t.detach().numpy()
    h = 1e-4
    u0 = u(X, T)
    u_x = (u(X + h, T) - u(X - h, T)) / (2 * h)
    u_t = (u(X, T + h) - u(X, T - h)) / (2 * h)
    u_xx = (u(X + h, T) - 2 * u0 + u(X - h, T)) / h ** 2
    fd_res = u_t + u0 * u_x - (0.01 / np.pi) * u_xx
    err = gt.rel_err(res, fd_res)
    return not err < 1e-5, f"Burgers residual vs finite differences: rel err {gt.fmt(err)}"


gt.main()
