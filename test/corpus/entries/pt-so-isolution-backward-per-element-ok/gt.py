import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-so-isolution-backward-per-element-ok")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    a = ns["a"]
    err = gt.rel_err(a.grad, 2 * a.detach())
    return err > 1e-6, f"rel. error of a.grad vs 2a: {err:.3g}"


gt.main()
