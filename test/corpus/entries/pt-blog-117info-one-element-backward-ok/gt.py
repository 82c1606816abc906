import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-blog-117info-one-element-backward-ok")
def _():
    ns = {}
    err = gt.raises(lambda: ns.update(gt.exec_snippet(__file__)))
    if err is not None:
        return True, f"error: {err}"
    g = ns["x"].grad
    if g is None:
        return True, "x.grad is None"
    e = gt.rel_err(g, 2 * ns["x"].detach())
    return e > 1e-6, f"x.grad = {g.tolist()}, rel. error vs 2x: {e:.3g}"


gt.main()
