"""Ground truth for pt-gh-optiland-grid-interpolator-gradient-without-graph: the snippet's
GridInterpolator (torch path) over a trainable height map; a loss on the phase gradient it returns
must reach the height map. optiland is not installed here: a stand-in for optiland.backend with the
torch backend's functions the snippet calls (array, stack, grid_sample, autograd, ones_like) is
registered. The merged fix (create_graph=True) cannot be checked with PyTorch 1.13, whose grid_sample
has no double backward; the case measures only whether the returned gradient carries a graph at all.
If it does, the derivative with respect to the height-map coefficient is compared with the analytic one.
"""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-optiland-grid-interpolator-gradient-without-graph"


def backend_stand_in():
    be = types.ModuleType("optiland.backend")
    be.get_backend = lambda: "torch"
    be.array = lambda x: torch.as_tensor(x)
    be.stack = lambda xs, axis=0: torch.stack(xs, dim=axis)
    be.grid_sample = torch.nn.functional.grid_sample
    be.autograd = torch.autograd
    be.ones_like = torch.ones_like
    be.to_numpy = lambda x: x.detach().cpu().numpy()
    be.Array = torch.Tensor
    pkg = types.ModuleType("optiland")
    pkg.backend = be
    sys.modules["optiland"], sys.modules["optiland.backend"] = pkg, be


@gt.case(CASE)
def _():
    backend_stand_in()
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    coords = torch.linspace(-1.0, 1.0, 9, dtype=torch.float64)
    c = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)  # trainable defocus coefficient
    yy, xx = torch.meshgrid(coords, coords, indexing="ij")
    height_map = c * (2 * (xx**2 + yy**2) - 1)
    interp = ns["GridInterpolator"](coords, coords, height_map)
    x = torch.rand(20, dtype=torch.float64) * 1.6 - 0.8
    y = torch.rand(20, dtype=torch.float64) * 1.6 - 0.8
    dx, dy = interp.gradient(x, y)
    loss = (dx**2 + dy**2).sum()
    if not loss.requires_grad:
        return True, "the phase gradient carries no graph: a loss on it cannot reach the trainable height map"
    (g,) = torch.autograd.grad(loss, c)
    expected = 2 * loss.detach() / c.detach()  # the gradient is linear in c
    err = gt.rel_err(g, expected)
    return err > 1e-6, f"d loss / d c = {gt.fmt(g.item())}, expected {gt.fmt(expected.item())}"


gt.main()
