"""Ground truth for pt-gh-helmholtz-pinn-laplacian-mixed-partials: the snippet's Sequentialmodel
(tanh, Xavier init, its own feature scaling) on 256 collocation points in [-1, 1]^2. loss_PDE takes
u_xx as the gradient of the whole (N, 2) gradient u_x with ones, so u_xx[:, 0] + u_xx[:, 1] is
the Laplacian plus twice the mixed partial u_x1x2. Measured by handing loss_PDE, as its target
f_hat, the residual built from the true Laplacian (each column of u_x differentiated on its own):
a right residual would give loss 0; the snippet's loss is the mean of (its Laplacian - true)^2."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-helmholtz-pinn-laplacian-mixed-partials")
def _():
    N = 256
    names = {"ub": np.array([1.0, 1.0]), "lb": np.array([-1.0, -1.0]), "layers": [2, 50, 50, 1],
             "device": "cpu", "a_1": 1, "a_2": 4, "k": 1}
    ns = gt.exec_snippet(__file__, names)
    torch.manual_seed(1234)
    model = ns["Sequentialmodel"](names["layers"])
    X = torch.rand(N, 2) * 2 - 1

    g = X.clone().requires_grad_(True)
    u = model(g)
    u_x = torch.autograd.grad(u.sum(), g, create_graph=True)[0]
    h0 = torch.autograd.grad(u_x[:, 0].sum(), g, retain_graph=True)[0]
    h1 = torch.autograd.grad(u_x[:, 1].sum(), g)[0]
    lap = h0[:, [0]] + h1[:, [1]]
    q = (-(1 * np.pi) ** 2 - (4 * np.pi) ** 2 + 1) * torch.sin(np.pi * X[:, [0]]) * torch.sin(4 * np.pi * X[:, [1]])
    ns["f_hat"] = (lap + u - q).detach()  # the residual with the true Laplacian (k = 1)
    err_rms = float(model.loss_PDE(X)) ** 0.5
    lap_rms = float((lap ** 2).mean()) ** 0.5
    mixed_rms = float(((2 * h0[:, [1]]) ** 2).mean()) ** 0.5
    return err_rms > 1e-3 * lap_rms, (f"rms(snippet Laplacian - true Laplacian) = {gt.fmt(err_rms)} "
                                      f"(rms of 2 u_x1x2 = {gt.fmt(mixed_rms)}; rms Laplacian {gt.fmt(lap_rms)})")


gt.main()
