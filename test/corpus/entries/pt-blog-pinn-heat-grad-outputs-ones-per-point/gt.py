import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-pinn-heat-grad-outputs-ones-per-point"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    model, x = ns["model"].double(), ns["x"]
    # Recompute in float64 for a tight finite-difference check of the same lines' meaning: per point du/dx, d2u/dx2.
    xd = x.detach().double().requires_grad_(True)
    u = model(xd)
    du = torch.autograd.grad(u, xd, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    d2u = torch.autograd.grad(du, xd, grad_outputs=torch.ones_like(du), create_graph=True)[0]
    f = lambda a: model(torch.tensor(a)).detach().numpy().reshape(-1)  # noqa: E731
    a = xd.detach().numpy()
    fd1 = gt.fd_gradient(f, a, h=1e-5)
    fd2 = (f(a + 1e-4) - 2 * f(a) + f(a - 1e-4)).reshape(-1, 1) / 1e-8
    e1, e2 = gt.rel_err(du, fd1), gt.rel_err(d2u, fd2)
    shapes_ok = tuple(ns["du_dx"].shape) == (10, 1) and tuple(ns["d2u_dx2"].shape) == (10, 1)
    return (e1 > 1e-6 or e2 > 1e-3 or not shapes_ok), f"per-point du/dx rel err {e1:.1e}, d2u/dx2 rel err {e2:.1e} vs finite differences; shapes {tuple(ns['du_dx'].shape)}"


gt.main()
