"""Ground truth for pt-gh-pytorch-second-derivative-helper-nonlinear: the helper gives the analytic 2 for x**2."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-second-derivative-helper-nonlinear")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    x = torch.tensor(1.0, requires_grad=True)
    d2 = ns["second_deriv"](x ** 2, x)
    return abs(d2.item() - 2.0) > 1e-12, f"second_deriv(x**2, x) = {d2.item()} (analytic 2)"


gt.main()
