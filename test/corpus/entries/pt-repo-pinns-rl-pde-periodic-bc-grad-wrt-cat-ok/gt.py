import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pinns-rl-pde-periodic-bc-grad-wrt-cat-ok"


@gt.case(CASE)
def _():
    class PDEBase:
        device = "cpu"
        dimension = 1
        config = types.SimpleNamespace(time_domain=(0.0, 1.0), domain=[(0.0, 1.0)])

        def _apply_loss_fn(self, r):
            return (r ** 2).mean()

    ns = gt.exec_snippet(__file__, {"PDEBase": PDEBase})
    net = gt.mlp(2, 1).float()
    pde = ns["HeatEquation"]()
    captured = {}
    real_grad = torch.autograd.grad

    def spy(outputs, inputs, **kw):
        out = real_grad(outputs, inputs, **kw)
        captured.setdefault("pairs", []).append((inputs.detach().clone(), out[0][:, 0:1].detach().clone()))
        return out

    torch.autograd.grad = spy
    try:
        loss = pde.compute_loss(net, torch.zeros(100, 1), torch.zeros(100, 1))
    finally:
        torch.autograd.grad = real_grad
    pts, dudx = captured["pairs"][0]
    h = 1e-3
    with torch.no_grad():
        fd = (net(pts + torch.tensor([h, 0.0])) - net(pts - torch.tensor([h, 0.0]))) / (2 * h)
    err = gt.rel_err(dudx.numpy(), fd.numpy())
    gw = torch.autograd.grad(loss, list(net.parameters()), allow_unused=True)
    share = gt.norm_of([g for g in gw if g is not None])
    return bool(err > 1e-2 or share == 0.0), f"du/dx vs FD (float32) rel. err {err:.2g}; ‖∂loss/∂w‖ {share:.3g}"


gt.main()
