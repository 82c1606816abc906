import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-git-ts-algorithms-tv-min-magnitude-sqrt-zero")
def _():
    # The snippet imports tomosipo (not installed); its `grad_2D`, `magnitude` and `clip` run as quoted with a stub module.
    import types
    sys.modules.setdefault("tomosipo", types.ModuleType("tomosipo"))
    ns = gt.exec_snippet(__file__, {})
    u = torch.zeros(1, 4, 4, dtype=torch.float64)
    u[0, 2:, 2:] = 1.0                                # flat regions: the image gradient is 0 there
    u.requires_grad_(True)
    q = ns["clip"](ns["grad_2D"](u), 0.1)
    (g,) = torch.autograd.grad(q.sum(), u)
    return bool(torch.isnan(g).any()), f"clip value finite: {bool(torch.isfinite(q).all())}; gradient has NaN: {bool(torch.isnan(g).any())}"


gt.main()
