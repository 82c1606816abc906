import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-blog-csdn-vector-backward-with-vjp-weights"


@gt.case(CASE)
def _():
    ns = {}
    err = gt.raises(lambda: ns.update(gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None})))
    if err is not None:
        return True, f"z.backward(v): {err}"
    x, v = ns["x"].detach(), ns["v"]
    expected = v * 4 * (x + 2)  # v^T J for z = 2 (x + 2)^2, J diagonal
    e = gt.rel_err(ns["x"].grad, expected)
    return e > 1e-6, f"x.grad vs v * dz/dx: relative error {e:.1e}"


gt.main()
