import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-so-round-detach-ste-ok"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    g = ns["x"].grad
    # The straight-through estimator should pass d(2x)/dx = 2 through the rounding.
    return bool((g.abs() < 1e-12).all()), f"x.grad = {g.tolist()} (straight-through value 2)"


gt.main()
