import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-repo-mjimitater-autograd-data-norm-loop"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None})
    x, y, v = ns["x"], ns["y"], ns["v"]
    scale = (y / x).detach()  # 2^k, the same for every component
    expected = v * scale
    err = gt.rel_err(x.grad, expected)
    return not err < 1e-6, f"x.grad {x.grad.tolist()} vs v*2^k {expected.tolist()} (2^k = {float(scale[0]):.0f}), rel err {gt.fmt(err)}"


gt.main()
