"""Ground truth for pt-gh-torchdiffeq-adjoint-func-autograd-grad.

torchdiffeq is not installed here. Its adjoint solver (torchdiffeq/_impl/adjoint.py, OdeintAdjointMethod.forward)
solves the ODE inside the forward of an autograd.Function under torch.no_grad(), calling func(t, y) at every step;
the stand-in below does the same with an Euler solve. The snippet's own text runs with it: the autograd.grad in
ODEFunc.forward raises. The same solve with recording on (what torchdiffeq's plain odeint does) does not."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def euler(func, y0, t):
    ys = [y0]
    y = y0
    for i in range(len(t) - 1):
        dy = func(t[i], y)
        dy = dy[0] if isinstance(dy, tuple) else dy
        y = y + (t[i + 1] - t[i]) * dy
        ys.append(y)
    return torch.stack(ys)


def odeint_adjoint(func, y0, t):
    with torch.no_grad():  # as OdeintAdjointMethod.forward
        return euler(func, y0, t)


def names(solver):
    torch.manual_seed(0)
    return {
        "torch": torch, "nn": nn, "device": "cpu", "niters": 1,
        "optimizer": torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1),
        "get_batch": lambda: (torch.rand(4, 2, requires_grad=True), torch.linspace(0.0, 1.0, 3)),
        "odeint_adjoint": solver,
    }


@gt.case("pt-gh-torchdiffeq-adjoint-func-autograd-grad")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, names(odeint_adjoint)))
    plain = gt.raises(lambda: gt.exec_snippet(__file__, names(euler)))
    return err is not None and plain is None, f"adjoint-style solve raised {err}; recording-on solve raised {plain}"


gt.main()
