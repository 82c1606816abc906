"""Ground truth for pt-repo-pinnsformer-wave-pinn-second-derivatives (correct look-alike): the 1-D wave
PINN's loop, run once through a stand-in optimizer that calls the closure, with x and t as (N, 1)
column slices of a float64 collocation tensor and a tanh MLP u(x, t). u_xx is taken of u_x and
u_tt of u_t, each with respect to its own column. The residual loss the closure records must match
the one built from central second differences of the same network."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


class Once:
    def zero_grad(self):
        pass

    def step(self, closure):
        closure()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.net = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1)).double()

    def forward(self, x, t):
        return self.net(torch.cat((x, t), dim=-1))


@gt.case("pt-repo-pinnsformer-wave-pinn-second-derivatives")
def _():
    g = torch.Generator().manual_seed(1)
    pts = lambda n: torch.rand(n, 2, generator=g, dtype=torch.float64).requires_grad_(True)  # noqa: E731
    model = Net()
    names = {"res": pts(64), "b_left": pts(8), "b_right": pts(8), "b_upper": pts(8), "b_lower": pts(8),
             "model": model, "optim": Once(), "tqdm": lambda r: range(1), "device": "cpu"}
    ns = gt.exec_snippet(__file__, names)
    loss_res = ns["loss_track"][0][0]
    X = names["res"].detach()
    x, t = X[:, 0:1], X[:, 1:2]
    h = 1e-4
    with torch.no_grad():
        u = lambda a, b: model(a, b)  # noqa: E731
        u_xx = (u(x + h, t) - 2 * u(x, t) + u(x - h, t)) / h ** 2
        u_tt = (u(x, t + h) - 2 * u(x, t) + u(x, t - h)) / h ** 2
    fd = float(((u_tt - 4 * u_xx) ** 2).mean())
    rel = abs(loss_res - fd) / fd
    return not rel < 1e-4, f"closure's residual loss {loss_res:.8g} vs second differences {fd:.8g} (rel {gt.fmt(rel)})"


gt.main()
