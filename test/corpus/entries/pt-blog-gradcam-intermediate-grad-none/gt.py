import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-blog-gradcam-intermediate-grad-none"


@gt.case(CASE)
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__)
    yg = ns["y"].grad
    return yg is None, f"x.grad {float(ns['x'].grad):g}; y.grad {yg} (dz/dy should be 4)"


gt.main()
