"""Ground truth for pt-repo-tutorial-double-backward-square-saves-input: the snippet runs (gradcheck and
gradgradcheck pass) and the second derivative through Square.apply equals the analytic 2."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-tutorial-double-backward-square-saves-input")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    ns = gt.exec_snippet(__file__)
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.double, requires_grad=True)
    (g,) = torch.autograd.grad(ns["Square"].apply(x).sum(), x, create_graph=True)
    (g2,) = torch.autograd.grad(g.sum(), x)
    wrong = not torch.allclose(g2, torch.full_like(g2, 2.0))
    return err is not None or wrong, f"snippet: {err or 'gradcheck and gradgradcheck passed'}; d2/dx2 = {g2.tolist()} (analytic 2)"


gt.main()
