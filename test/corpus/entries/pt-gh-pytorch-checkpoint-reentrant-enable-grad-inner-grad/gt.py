"""Ground truth for pt-gh-pytorch-checkpoint-reentrant-enable-grad-inner-grad: the snippet's own text; x.grad is
compared with the analytic derivative of sum(d/dx exp(x)) = sum(exp(x)), which is exp(x)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-checkpoint-reentrant-enable-grad-inner-grad")
def _():
    ns = gt.exec_snippet(__file__)
    x = ns["x"]
    err = gt.rel_err(x.grad, torch.exp(x.detach()))
    return not err < 1e-6, f"x.grad {x.grad.tolist()} vs exp(x) {torch.exp(x.detach()).tolist()}: relative error {gt.fmt(err)}"


gt.main()
