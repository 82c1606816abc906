"""Ground truth for pt-gh-pinnsformer-ns-u-xx-of-u: the snippet's Navier-Stokes PINN (its PINNs class
and init, 64 random training points, one closure evaluation through a stand-in optimizer that calls
it once, float32, CPU). Its `u_xx` and `v_xx`/`u_yy`/`v_yy` lines differentiate u (v) again instead of
u_x (u_y, ...), i.e. they are first derivatives. The snippet's loss is compared with the same loss
built (a) with those first derivatives and (b) with the true second derivatives."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


class OnceOptim:
    def zero_grad(self):
        pass

    def step(self, closure):
        closure()


def d(f, x):
    return torch.autograd.grad(f, x, grad_outputs=torch.ones_like(f), retain_graph=True, create_graph=True)[0]


def loss_with(model, x, y, t, u_tr, v_tr, true_second):
    out = model(x, y, t)
    psi, p = out[:, 0:1], out[:, 1:2]
    u, v = d(psi, y), -d(psi, x)
    u_t, u_x, u_y = d(u, t), d(u, x), d(u, y)
    v_t, v_x, v_y = d(v, t), d(v, x), d(v, y)
    if true_second:
        u_xx, u_yy, v_xx, v_yy = d(u_x, x), d(u_y, y), d(v_x, x), d(v_y, y)
    else:
        u_xx, u_yy, v_xx, v_yy = u_x, u_y, v_x, v_y
    p_x, p_y = d(p, x), d(p, y)
    f_u = u_t + (u * u_x + v * u_y) + p_x - 0.01 * (u_xx + u_yy)
    f_v = v_t + (u * v_x + v * v_y) + p_y - 0.01 * (v_xx + v_yy)
    loss = torch.mean((u - u_tr) ** 2) + torch.mean((v - v_tr) ** 2) + torch.mean(f_u ** 2) + torch.mean(f_v ** 2)
    return float(loss), float((u_xx - d(u_x, x)).abs().max() / d(u_x, x).abs().max())


@gt.case("pt-gh-pinnsformer-ns-u-xx-of-u")
def _():
    g = torch.Generator().manual_seed(0)
    x, y, t = (torch.rand(64, 1, generator=g).requires_grad_(True) for _ in range(3))
    u_tr, v_tr = torch.rand(64, 1, generator=g), torch.rand(64, 1, generator=g)
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"device": "cpu", "tqdm": lambda r: range(1), "optim": OnceOptim(),
                                    "x_train": x, "y_train": y, "t_train": t, "u_train": u_tr, "v_train": v_tr})
    snippet_loss = ns["loss_track"][0]
    first, _ = loss_with(ns["model"], x, y, t, u_tr, v_tr, true_second=False)
    true, _ = loss_with(ns["model"], x, y, t, u_tr, v_tr, true_second=True)
    u_x = d(d(ns["model"](x, y, t)[:, 0:1], y), x)
    u_xx_true = d(u_x, x)
    rel = float((u_x - u_xx_true).abs().max() / u_xx_true.abs().max())
    matches_first = abs(snippet_loss - first) <= 1e-5 * abs(first)
    differs = abs(snippet_loss - true) > 1e-5 * abs(true)
    return matches_first and differs, (f"snippet loss {snippet_loss:.7g}; with u_xx := u_x {first:.7g}; with true second derivatives {true:.7g}; "
                                       f"max |u_x - u_xx| / max |u_xx| = {gt.fmt(rel)}")


gt.main()
