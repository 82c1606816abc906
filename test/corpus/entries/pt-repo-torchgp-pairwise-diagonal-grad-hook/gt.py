import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-torchgp-pairwise-diagonal-grad-hook")
def _():
    ns = gt.exec_snippet(__file__, {})
    x = torch.randn(6, 2, dtype=torch.float64, requires_grad=True)
    k = torch.exp(-ns["pairwise1"](x))  # an exponential kernel of the distances, as the package's kernels use them
    (g,) = torch.autograd.grad(k.sum(), x)
    bad = bool(torch.isnan(g).any() or torch.isinf(g).any())
    # The same without the hook, for contrast.
    d = torch.sqrt(torch.sum(torch.pow(x[:, None] - x, 2), dim=-1))
    (g0,) = torch.autograd.grad(torch.exp(-d).sum(), x)
    return bad, f"gradient NaN/inf with the hook: {bad}; without it: {bool(torch.isnan(g0).any())}"


gt.main()
