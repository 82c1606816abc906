import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import matplotlib
matplotlib.use("Agg")


@gt.case("pt-so-whosebug-sin-backward-upstream-x")
def _():
    ns = gt.exec_snippet(__file__)
    x, g = ns["x"].detach(), ns["x"].grad
    err_cos = gt.rel_err(g, torch.cos(x))
    err_xcos = gt.rel_err(g, x * torch.cos(x))
    return err_cos > 1e-3, f"rel. error of x.grad vs cos(x): {err_cos:.3g}; vs x*cos(x): {err_xcos:.3g}"


gt.main()
