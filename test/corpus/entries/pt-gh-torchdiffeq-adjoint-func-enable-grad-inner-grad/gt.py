"""Ground truth for pt-gh-torchdiffeq-adjoint-func-enable-grad-inner-grad.

torchdiffeq is not installed here; as in pt-gh-torchdiffeq-adjoint-func-autograd-grad, a stand-in odeint_adjoint
solves with Euler steps under torch.no_grad() (as OdeintAdjointMethod.forward does). The snippet runs without error,
and the right-hand side it computes equals the gradient of the network's output sum computed directly."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def odeint_adjoint(func, y0, t):
    with torch.no_grad():
        y = y0
        for i in range(len(t) - 1):
            y = y + (t[i + 1] - t[i]) * func(t[i], y)[0]
        return y


@gt.case("pt-gh-torchdiffeq-adjoint-func-enable-grad-inner-grad")
def _():
    torch.manual_seed(0)
    x0 = torch.rand(4, 2)
    names = {
        "torch": torch, "nn": nn, "device": "cpu", "niters": 1,
        "optimizer": torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1),
        "get_batch": lambda: (x0, torch.linspace(0.0, 1.0, 3)),
        "odeint_adjoint": odeint_adjoint,
    }
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    ns = gt.exec_snippet(__file__, names)
    func = ns["func"]
    with torch.no_grad():
        rhs = func(torch.tensor(0.0), x0)[0]
    x = x0.clone().requires_grad_(True)
    direct = torch.autograd.grad(func.net(x).sum(), x)[0]
    e = gt.rel_err(rhs, direct)
    return err is not None or not e < 1e-6, f"snippet raised {err}; right-hand side under no_grad vs direct gradient: relative error {gt.fmt(e)}"


gt.main()
