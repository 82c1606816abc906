import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-git-rul-adapt-pairwise-euclidean-eps")
def _():
    # As MaximumMeanDiscrepancyLoss.update calls it: distances of a batch of features with itself, then a Gaussian kernel.
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    feats = torch.randn(6, 4, dtype=torch.float64, requires_grad=True)
    distances = ns["calc_pairwise_euclidean"](feats, feats)
    loss = torch.exp(-distances).mean()
    (g,) = torch.autograd.grad(loss, feats)
    bad = bool(torch.isnan(g).any())
    return bad, f"loss {loss.item():.4g} finite; gradient has NaN: {bad}"


gt.main()
