import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-second-derivative-autograd-grad-create-graph-zh"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None})
    x, g1, g2 = float(ns["x"]), float(ns["grad1"]), float(ns["grad2"])
    err = max(abs(g1 - 3 * x * x), abs(g2 - 6 * x))
    return err > 1e-6, f"grad1 {g1:.4g} (3x^2 {3 * x * x:.4g}), grad2 {g2:.4g} (6x {6 * x:.4g})"


gt.main()
