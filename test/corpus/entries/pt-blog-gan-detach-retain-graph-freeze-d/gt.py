import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-blog-gan-detach-retain-graph-freeze-d"


@gt.case(CASE)
def _():
    err = []

    def run():
        ns = gt.exec_snippet(__file__)
        err.append(ns)

    e = gt.raises(run)
    if e is not None:
        return True, f"the quoted step raised {e}"
    ns = err[0]
    g, d = float(ns["G"].weight.item()), float(ns["D"].weight.item())
    gd, dd = float(ns["G"].weight.grad.item()), float(ns["D"].weight.grad.item())
    # analytic: X = 1, g = 0.5, d = 0.7; dD_loss/dd = 2 d g^2 = 0.35; dG_loss/dg = 2 d^2 g = 0.49
    ok = abs(gd - 0.49) < 1e-6 and abs(dd - 0.35) < 1e-6 and abs(g - 0.01) < 1e-6 and abs(d - 0.35) < 1e-6
    return not ok, f"G.grad {gd:.4g} (0.49), D.grad {dd:.4g} (0.35), G {g:.4g} (0.01), D {d:.4g} (0.35)"


gt.main()
