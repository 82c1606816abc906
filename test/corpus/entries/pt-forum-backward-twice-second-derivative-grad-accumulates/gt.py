import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-backward-twice-second-derivative-grad-accumulates"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    x = ns["x"].detach()
    true_second = float(12 * x + 10)  # d2/dx2 (2x^3 + 5x^2 + 8)
    got = float(ns["second_derivative"])
    return abs(got - true_second) > 1e-6, f"second_derivative={got:.4g}, analytic d2y/dx2={true_second:.4g}"


gt.main()
