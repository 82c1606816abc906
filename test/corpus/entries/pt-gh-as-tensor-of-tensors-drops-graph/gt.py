import os, sys, warnings
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-as-tensor-of-tensors-drops-graph")
def _():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ns = gt.exec_snippet(__file__, {"print": lambda *a, **k: None})
    a, b = ns["a"], ns["b"]
    return a.grad is None and b.grad is None, f"after ab.sum().backward(): a.grad = {a.grad}, b.grad = {b.grad} (true d(a+b)/da = d/db = 1)"


gt.main()
