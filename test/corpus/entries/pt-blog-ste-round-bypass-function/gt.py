import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-ste-round-bypass-function"


@gt.case(CASE)
def _():
    z3 = (torch.randn(6, dtype=torch.float64) * 3).requires_grad_(True)
    ns = gt.exec_snippet(__file__, {"torch": torch, "z3": z3})
    w = torch.randn(6, dtype=torch.float64)
    (ns["z3_rounded"] * w).sum().backward()
    g_function = z3.grad.clone()
    x = (torch.randn(6, dtype=torch.float64) * 3).requires_grad_(True)
    (ns["ste_round"](x) * w).sum().backward()
    g_detach = x.grad.clone()
    plain = (torch.randn(6, dtype=torch.float64) * 3).requires_grad_(True)
    (torch.round(plain) * w).sum().backward()
    e1, e2 = gt.rel_err(g_function, w), gt.rel_err(g_detach, w)
    forward_ok = torch.equal(ns["ste_round"](x).detach(), torch.round(x).detach())
    return (e1 > 1e-12 or e2 > 1e-12 or not forward_ok), (
        f"Function grad err {e1:.1e}, detach-trick grad err {e2:.1e} vs identity; forward rounds: {forward_ok}; "
        f"plain torch.round grad norm {plain.grad.norm():.3g}")


gt.main()
