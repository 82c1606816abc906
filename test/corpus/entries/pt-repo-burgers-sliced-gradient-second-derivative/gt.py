import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-burgers-sliced-gradient-second-derivative"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    model = gt.mlp(2, 1)
    torch.manual_seed(1)
    X = torch.rand(40, 2, dtype=torch.float64).requires_grad_(True)
    alpha = 0.1 / 3.14159
    crit = torch.nn.MSELoss()
    got = ns["pde_loss"](X, model(X), alpha, crit).item()

    def u(x):
        with torch.no_grad():
            return model(x)[:, 0]
    Xd, h = X.detach(), 1e-4
    ex, et = torch.tensor([h, 0.0], dtype=torch.float64), torch.tensor([0.0, h], dtype=torch.float64)
    u0 = u(Xd)
    u_x = (u(Xd + ex) - u(Xd - ex)) / (2 * h)
    u_t = (u(Xd + et) - u(Xd - et)) / (2 * h)
    u_xx = (u(Xd + ex) - 2 * u0 + u(Xd - ex)) / h ** 2
    ref = crit(alpha * u_xx, u_t + u0 * u_x).item()
    err = abs(got - ref) / ref
    return err > 1e-4, f"loss {gt.fmt(got)} vs finite-difference residual loss {gt.fmt(ref)} (rel err {gt.fmt(err)})"


gt.main()
