import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-yunjey-tutorial-basics-float-requires-grad"


@gt.case(CASE)
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {"torch": torch})
    got = (float(ns["x"].grad), float(ns["w"].grad), float(ns["b"].grad))
    want = (float(ns["w"]), float(ns["x"]), 1.0)  # dy/dx = w, dy/dw = x, dy/db = 1
    return got != want, f"(x.grad, w.grad, b.grad) = {got}; analytic {want}"


gt.main()
