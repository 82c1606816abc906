import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-second-derivative-backward-reset-grad"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    ns = gt.exec_snippet(__file__) if err is None else {}
    d1 = float(ns["dydx"]) if ns else float("nan")
    d2 = float(ns["d2ydx2"]) if ns else float("nan")
    ok = err is None and math.isclose(d1, 3 * math.exp(6), rel_tol=1e-5) and math.isclose(d2, 9 * math.exp(6), rel_tol=1e-5)
    return not ok, f"dy/dx {d1:.6g} (3e^6 = {3 * math.exp(6):.6g}), d2y/dx2 {d2:.6g} (9e^6 = {9 * math.exp(6):.6g}); snippet error: {err}"


gt.main()
