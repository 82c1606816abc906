import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-repo-pytorchtutorial-backprop-no-grad-step"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None}))
    if err is not None:
        return True, f"raised {err}"
    ns = gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None})
    w = ns["w"]
    x, y = float(ns["x"]), float(ns["y"])
    expected = 1.0 - 0.01 * (2 * (x * 1.0 - y) * x)
    loss_before, loss_after = (x - y) ** 2, (x * float(w) - y) ** 2
    ok = abs(float(w) - expected) < 1e-6 and loss_after < loss_before and w.is_leaf and w.requires_grad
    ok = ok and float(w.grad.abs()) == 0.0
    return not ok, f"w 1 -> {float(w):.4g} (gradient step {expected:.4g}); loss {loss_before:.4g} -> {loss_after:.4g}; leaf {w.is_leaf}, grad {float(w.grad):.3g}"


gt.main()
