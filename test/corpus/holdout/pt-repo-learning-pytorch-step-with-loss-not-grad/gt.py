import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-repo-learning-pytorch-step-with-loss-not-grad"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    w_after = float(ns["w"])
    x, y = float(ns["x"]), float(ns["y"])
    loss_before = (x * 1.0 - y) ** 2
    loss_after = (x * w_after - y) ** 2
    grad = 2 * (x * 1.0 - y) * x  # analytic dloss/dw at the starting w = 1
    expected = 1.0 - 0.01 * grad  # the gradient step with the snippet's learning rate
    return abs(w_after - expected) > 1e-6 and loss_after > loss_before, (
        f"w 1 -> {w_after:.4g} (a gradient step gives {expected:.4g}); loss {loss_before:.4g} -> {loss_after:.4g}"
    )


gt.main()
