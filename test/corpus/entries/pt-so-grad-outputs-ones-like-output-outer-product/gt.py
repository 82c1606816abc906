"""Ground truth for pt-so-grad-outputs-ones-like-output-outer-product: the snippet as quoted; the seed of the output's
shape gives 1^T J = 2 * sum(x) in every entry (20 for x = 1..4), the gradient of y.sum()."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-so-grad-outputs-ones-like-output-outer-product")
def _():
    ns = gt.exec_snippet(__file__)
    # The snippet's own call ran without error and freed its graph; the same call again on its x:
    x = ns["x"]
    y = torch.outer(x, x)
    g = torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y))[0]
    expected = 2 * x.detach().sum() * torch.ones(4)
    return not torch.allclose(g, expected), f"grad {g.tolist()} vs 2*sum(x) = {expected.tolist()}"


gt.main()
