import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-fgsm-register-hook-intermediate-grad"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    x0 = torch.randn(2, 1)
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    y = (x0 + 2)
    expected = y / 1.0  # d mean(y^2) / dy = 2y / 2
    hooked = ns["grad_list"][0] if ns["grad_list"] else None
    if hooked is None:
        return True, "hook never called"
    e1 = gt.rel_err(hooked, expected)
    e2 = gt.rel_err(ns["x"].grad, expected)
    e3 = gt.rel_err(ns["x"].detach(), x0 - 1e-3 * expected)
    bad = not (e1 < 1e-6 and e2 < 1e-6 and e3 < 1e-6)
    return bad, f"hooked dz/dy rel err {gt.fmt(e1)}; x.grad rel err {gt.fmt(e2)}; stepped x rel err {gt.fmt(e3)}"


gt.main()
