import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-ajkdrag-ste-detach-trick-ok"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None})
    y, g = ns["y"].detach(), ns["x"].grad
    fwd_ok = torch.equal(y, torch.tensor([1.0, 0.0, 1.0, 0.0]))
    grad_ok = g is not None and torch.equal(g, torch.ones(4))
    return not (fwd_ok and grad_ok), f"forward {y.tolist()}, grad {None if g is None else g.tolist()}"


gt.main()
