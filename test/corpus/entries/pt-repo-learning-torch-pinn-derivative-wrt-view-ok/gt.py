import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-repo-learning-torch-pinn-derivative-wrt-view-ok"


@gt.case(CASE)
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__)
    sd = ns["model"].state_dict()
    a, b, c = sd["layer01.weight"][0][0], sd["layer01.weight"][0][1], sd["layer01.bias"][0]
    x, t = ns["x"], ns["t"]
    s = (a * x + b * t + c).sigmoid()
    err = gt.rel_err(ns["u_x"], s * (1 - s) * a)
    return err > 1e-6, f"autograd u_x vs analytic: rel. err {err:.2g}"


gt.main()
