import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-notebook-dot-backward-then-vector-gradient"


@gt.case(CASE)
def _():
    # The snippet runs as quoted: after both cells x.grad is d(x*x)/dx = 2x (the first gradient was zeroed).
    ns = gt.exec_snippet(__file__, {"torch": torch})
    x = ns["x"]
    wrong = x.grad is None or not torch.allclose(x.grad, 2 * x.detach())
    return wrong, f"x.grad = {None if x.grad is None else x.grad.tolist()}"


gt.main()
