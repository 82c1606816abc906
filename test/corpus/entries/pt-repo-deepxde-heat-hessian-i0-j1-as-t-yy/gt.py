import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-deepxde-heat-hessian-i0-j1-as-t-yy"


def _install_stand_ins():
    """DeepXDE is not installed here. Its documented semantics (PyTorch backend), reproduced with
    torch.autograd: dde.grad.jacobian(ys, xs, i, j) = d ys[:, i] / d xs[:, j] and
    dde.grad.hessian(ys, xs, component=0, i=0, j=0) = d^2 ys[:, component] / d xs[:, i] d xs[:, j].
    The project's own modules (process.heat.scale, material) are replaced by the constants they provide."""
    def jacobian(ys, xs, i=0, j=None):
        g = torch.autograd.grad(ys[:, i:i + 1], xs, torch.ones_like(ys[:, i:i + 1]), create_graph=True)[0]
        return g if j is None else g[:, j:j + 1]

    def hessian(ys, xs, component=0, i=0, j=0):
        gi = jacobian(ys, xs, component, i)
        return torch.autograd.grad(gi, xs, torch.ones_like(gi), create_graph=True)[0][:, j:j + 1]

    dde = types.ModuleType("deepxde")
    dde.grad = types.SimpleNamespace(jacobian=jacobian, hessian=hessian)
    scale_mod = types.ModuleType("process.heat.scale")
    scale_mod.Scale = object
    scale_mod.__all__ = ["Scale"]
    material = types.ModuleType("material")
    material.concreteData = types.SimpleNamespace(alpha_thermal_diffusivity=1.0)
    process, heat = types.ModuleType("process"), types.ModuleType("process.heat")
    sys.modules.update({"deepxde": dde, "process": process, "process.heat": heat,
                        "process.heat.scale": scale_mod, "material": material})


@gt.case(CASE)
def _():
    _install_stand_ins()
    ns = gt.exec_snippet(__file__)
    net = gt.mlp(3, 1)
    x = torch.rand(64, 3, dtype=torch.float64, requires_grad=True)
    y = net(x)
    got = ns["steady_lp_residual"](x, y, None)
    # reference Laplacian T_xx + T_yy from the full Hessian of each point
    lap = []
    for k in range(8):
        h = torch.autograd.functional.hessian(lambda p: net(p[None])[0, 0], x[k].detach())
        lap.append(h[0, 0] + h[1, 1])
    want = torch.stack(lap).view(-1, 1)
    err = gt.rel_err(got[:8], want)
    return err > 1e-6, f"steady residual T_xx + hessian(i=1) vs the Laplacian T_xx + T_yy: rel err {err:.3g}"


gt.main()
