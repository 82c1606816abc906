import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-torchdiffeq-adjoint-func-input-grad"


@gt.case(CASE)
def _():
    calls = []

    def odeint_adjoint(func, y0, t):
        # torchdiffeq's OdeintAdjointMethod.forward runs the solver under torch.no_grad()
        with torch.no_grad():
            calls.append(func(t[0], y0))
        return torch.zeros(1)

    ns = {"nn": nn, "torch": torch, "device": "cpu", "niters": 1, "odeint_adjoint": odeint_adjoint,
          "optimizer": torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1),
          "get_batch": lambda: (torch.rand(4, 2, requires_grad=True), torch.linspace(0, 1, 3))}
    err = gt.raises(lambda: gt.exec_snippet(__file__, ns))
    return err is not None and "does not require grad" in err, f"vector field under odeint_adjoint's no_grad: {err}"


gt.main()
