import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-git-ts-algorithms-tv-min-magnitude-eps")
def _():
    # The snippet imports tomosipo (not installed): a stub module stands in, with a small `epsilon` of 1e-6.
    import types
    stub = types.ModuleType("tomosipo")
    stub.epsilon = 1e-6
    sys.modules["tomosipo"] = stub
    ns = gt.exec_snippet(__file__, {})
    u = torch.zeros(1, 4, 4, dtype=torch.float64)
    u[0, 2:, 2:] = 1.0                                # flat regions: the image gradient is 0 there
    u.requires_grad_(True)
    q = ns["clip"](ns["grad_2D"](u), 0.1)
    (g,) = torch.autograd.grad(q.sum(), u)
    return bool(torch.isnan(g).any()), f"clip value finite: {bool(torch.isfinite(q).all())}; gradient has NaN: {bool(torch.isnan(g).any())}"


gt.main()
