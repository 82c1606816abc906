import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd.functional import hessian  # noqa: E402

CASE = "pt-repo-reassessing-vanilla-pinns-wave-column-second-derivatives-ok"


@gt.case(CASE)
def _():
    class PDEBase:
        def __init__(self, device):
            self.device = device

        def compute_rrmse(self, model, pts, true):
            return (torch.norm(model(pts) - true) / torch.norm(true)).item()

    ns = gt.exec_snippet(__file__, {"PDEBase": PDEBase, "torch": torch, "math": math})
    net = gt.mlp(2, 1)
    pde = ns["Wave"]()
    pts = torch.rand(8, 2, dtype=torch.float64)
    b = torch.rand(4, 2, dtype=torch.float64)
    total, parts = pde.compute_losses(net, pts, b, b, b, b, b)
    H = torch.stack([hessian(lambda z: net(z.unsqueeze(0)).sum(), p) for p in pts])
    exact = torch.mean((H[:, 1, 1] - 4 * H[:, 0, 0]) ** 2).item()
    err = abs(parts["pde"] - exact) / exact
    gw = torch.autograd.grad(total, list(net.parameters()))
    share = gt.norm_of(gw)
    return bool(err > 1e-8 or share == 0.0), f"pde loss vs exact-Hessian residual: rel. err {err:.2g}; ‖∂loss/∂w‖ {share:.3g}"


gt.main()
