import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-backward-gradient-argument-vector-product"


@gt.case(CASE)
def _():
    # The snippet runs as quoted (its print silenced): a.grad must be b's values, [20, 20].
    ns = gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None})
    g = ns["a"].grad
    wrong = g is None or not torch.allclose(g, torch.tensor([20.0, 20.0]))
    return wrong, f"a.grad = {None if g is None else g.tolist()}"


gt.main()
