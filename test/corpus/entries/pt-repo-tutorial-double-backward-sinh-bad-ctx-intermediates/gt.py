"""Ground truth for pt-repo-tutorial-double-backward-sinh-bad-ctx-intermediates: the first derivative is right
(cosh), but it has no graph to x, so a second derivative through SinhBad fails where sinh(x) is expected."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-tutorial-double-backward-sinh-bad-ctx-intermediates")
def _():
    ns = gt.exec_snippet(__file__)
    x, grad_x = ns["x"], ns["grad_x"]
    first_ok = torch.allclose(grad_x, torch.cosh(x.detach()))
    err = gt.raises(lambda: torch.autograd.grad(grad_x.sum(), x))
    return first_ok and (err is not None or not grad_x.requires_grad), (
        f"first derivative equals cosh: {first_ok}; grad_x.requires_grad = {grad_x.requires_grad}; second derivative: {err}")


gt.main()
