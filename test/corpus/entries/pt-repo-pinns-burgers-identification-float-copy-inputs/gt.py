import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pinns-burgers-identification-float-copy-inputs"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    rng = np.random.RandomState(0)
    X = np.hstack([rng.uniform(-1, 1, (64, 1)), rng.uniform(0, 1, (64, 1))])  # float64, as loaded from the .mat file
    u = np.sin(np.pi * X[:, 0:1])
    torch.manual_seed(0)
    pinn = ns["PhysicsInformedNN"](X, u, [2, 20, 20, 1], X.min(0), X.max(0))
    leaf = pinn.x.is_leaf  # False: .float() copies the float64 leaf
    f = pinn.net_f(pinn.x, pinn.t)
    # Independent residual with float32 leaves of the same points.
    x = torch.tensor(X[:, 0:1], dtype=torch.float32, requires_grad=True)
    t = torch.tensor(X[:, 1:2], dtype=torch.float32, requires_grad=True)
    uu = pinn.dnn(torch.cat([x, t], dim=1))
    u_t, u_x = torch.autograd.grad(uu, [t, x], torch.ones_like(uu), create_graph=True)
    u_xx = torch.autograd.grad(u_x, x, torch.ones_like(u_x))[0]
    f_ref = u_t + pinn.lambda_1 * uu * u_x - torch.exp(pinn.lambda_2) * u_xx
    err = gt.rel_err(f, f_ref)
    # One training step reaches the unknown PDE coefficients and the network.
    pinn.train(1)
    g1 = pinn.lambda_1.grad
    moved = g1 is not None and float(g1.abs().sum()) > 0
    return err > 1e-5 or not moved, (
        f"inputs are leaves: {leaf}; residual vs float32 leaves: rel err {gt.fmt(err)}; lambda_1.grad {None if g1 is None else gt.fmt(float(g1.sum()))}"
    )


gt.main()
