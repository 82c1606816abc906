import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def reduce_sum(x, axis=None, keepdim=False):
    # The repository's utils.tools.reduce_sum: a sum over each axis in turn.
    for i in sorted(axis, reverse=True):
        x = torch.sum(x, dim=i, keepdim=keepdim)
    return x


@gt.case("pt-gh-inpainting-eps-inside-sqrt")
def _():
    # Background patches (L=3, C=2, 3x3) of features that require grad; patch 1 is all zeros (a flat or masked region).
    b = torch.randn(1, 3, 2, 3, 3, generator=torch.Generator().manual_seed(0))
    b[0, 1] = 0.0
    b.requires_grad_(True)
    ns = gt.exec_snippet(__file__, {"torch": torch, "wi": b, "reduce_sum": reduce_sum, "escape_NaN": torch.FloatTensor([1e-4])})
    wi = ns["wi"]
    wi_normed = wi / ns["max_wi"]  # the next line of the source
    wi_normed.sum().backward()
    bad = bool(torch.isnan(b.grad).any())
    return bad, f"norms {ns['max_wi'].flatten().tolist()}; NaN in the patches' gradient: {bad}"


gt.main()
