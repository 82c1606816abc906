import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-torchdiffeq-grad-inside-odefunc-adjoint"


class _AdjointStandIn(torch.autograd.Function):
    """torchdiffeq is not installed here. odeint_adjoint integrates inside the forward of a custom
    autograd.Function (OdeintAdjointMethod), where PyTorch disables grad mode; this stand-in does the
    same with fixed Euler steps, calling func(t, y) exactly as the solver does."""

    @staticmethod
    def forward(ctx, func, y0, t):
        ys, y = [y0], y0
        for i in range(len(t) - 1):
            dy = func(t[i], y)
            dy = dy[0] if isinstance(dy, tuple) else dy
            y = y + (t[i + 1] - t[i]) * dy
            ys.append(y)
        return torch.stack(ys)

    @staticmethod
    def backward(ctx, g):  # pragma: no cover - never reached
        return None, None, None


@gt.case(CASE)
def _():
    def odeint_adjoint(func, y0, t):
        return _AdjointStandIn.apply(func, y0, t)

    x0 = torch.randn(16, 2, requires_grad=True)
    names = {"torch": torch, "nn": torch.nn, "device": "cpu", "niters": 1,
             "optimizer": torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1),
             "get_batch": lambda: (x0, torch.linspace(0, 1, 5)), "odeint_adjoint": odeint_adjoint}
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    return err is not None and "does not require grad" in err, f"quoted loop with the adjoint solver: {err or 'no error'}"


gt.main()
