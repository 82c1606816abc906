import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-dive-into-dl-data-inplace-after-forward-wrong-grad"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    g = float(ns["x"].grad)
    # y = 2 x^2 was evaluated at x = 1 (dy/dx = 4); after x.data *= 100 the point is x = 100 (dy/dx = 400).
    at_forward, at_current = 4.0, 400.0
    wrong = abs(g - at_forward) > 1e-6 and abs(g - at_current) > 1e-6
    return wrong, f"x.grad {g} vs dy/dx {at_forward} at the forward point or {at_current} at the mutated point"


gt.main()
