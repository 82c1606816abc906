import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-second-derivative-read-from-accumulated-grad-zh"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None})
    x = ns["x"]
    expected = 6.0 * float(x)  # d2(x^3)/dx2
    got = float(x.grad)
    return abs(got - expected) > 1e-6, f"x.grad after dy_dx.backward() {got:.4g}, d2y/dx2 = {expected:.4g}"


gt.main()
