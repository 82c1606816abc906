import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-forum-d2l-linspace-sin-sum-backward-ok")
def _():
    ns = gt.exec_snippet(__file__)
    x = ns["x"]
    err = gt.rel_err(x.grad, torch.cos(x.detach()))
    return err > 1e-5, f"rel. error of x.grad vs cos(x): {err:.3g}"


gt.main()
