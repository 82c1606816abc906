import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pinns-rl-pde-heat-slice-grad-allow-unused"


@gt.case(CASE)
def _():
    src = open(os.path.join(os.path.dirname(__file__), "snippet.py")).read()
    src = src.replace("from .pde_base import PDEBase, PDEConfig", "")  # the package's base class, stubbed below

    class PDEBase:
        dimension = 2
        alpha = 1.0

    ns = {"PDEBase": PDEBase}
    exec(compile(src, "snippet.py", "exec"), ns)
    net = gt.mlp(3, 1)
    x = torch.rand(8, 2, dtype=torch.float64)
    t = torch.rand(8, 1, dtype=torch.float64)
    res = ns["HeatEquation"]().compute_residual(net, x, t)
    # true Laplacian per sample from the Hessian of u w.r.t. x
    lap = []
    for i in range(8):
        h = torch.autograd.functional.hessian(lambda z: net(torch.cat([z, t[i]])).squeeze(), x[i].detach())
        lap.append(torch.diagonal(h).sum())
    lap = torch.stack(lap)
    xr = x.detach().requires_grad_(True)
    tr = t.detach().requires_grad_(True)
    u = net(torch.cat([xr, tr], 1))
    u_t = torch.autograd.grad(u.sum(), tr)[0].squeeze(1)
    got_lap = (u_t - res.detach().squeeze(1))  # residual = u_t - alpha * laplacian
    return bool(got_lap.abs().max() < 1e-12 and lap.abs().max() > 1e-6), (
        f"Laplacian inside the residual: max |.| {got_lap.abs().max():.2g}; true Laplacian max |.| {lap.abs().max():.3g}")


gt.main()
