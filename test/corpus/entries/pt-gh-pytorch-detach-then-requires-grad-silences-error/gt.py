import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-pytorch-detach-then-requires-grad-silences-error")
def _():
    ns = gt.exec_snippet(__file__, {})
    t = ns["t"]
    # the copy's gradient, had the caller kept it
    out = ns["func"](t)
    out.sum().backward()
    copy_grad = out.grad
    return t.grad is None, f"backward ran without error; t.grad = {t.grad}; the detached copy gets grad {copy_grad.tolist()} (leaf: {out.is_leaf})"


gt.main()
