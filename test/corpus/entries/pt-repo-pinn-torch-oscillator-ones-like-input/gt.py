"""Ground truth for pt-repo-pinn-torch-oscillator-ones-like-input (correct look-alike): the snippet's
PhysicsNN and derivative() in float64 on 40 points of [0, 1]; first and second derivatives compared with
central finite differences of the model (steps 1e-6 and 1e-4)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-pinn-torch-oscillator-ones-like-input")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    model = ns["PhysicsNN"]().double()
    x = torch.linspace(0, 1, 40, dtype=torch.float64).view(-1, 1).requires_grad_(True)
    d1 = ns["derivative"](model, x, order=1).detach()
    d2 = ns["derivative"](model, x, order=2).detach()
    with torch.no_grad():
        h = 1e-6
        fd1 = (model(x + h) - model(x - h)) / (2 * h)
        h2 = 1e-4
        fd2 = (model(x + h2) - 2 * model(x) + model(x - h2)) / h2 ** 2
    e1, e2 = gt.rel_err(d1, fd1), gt.rel_err(d2, fd2)
    return e1 > 1e-6 or e2 > 1e-4, f"relative error vs finite differences: first derivative {gt.fmt(e1)}, second {gt.fmt(e2)}"


gt.main()
