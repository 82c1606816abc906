import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-online-triplet-mask-eps-sqrt")
def _():
    ns = gt.exec_snippet(__file__, {})
    emb = torch.randn(8, 4, dtype=torch.float64)
    emb[5] = emb[2]  # two identical embeddings: a zero off the diagonal too
    emb.requires_grad_(True)
    labels = torch.tensor([0, 0, 1, 1, 2, 2, 0, 1])
    loss = ns["batch_hard_triplet_loss"](labels, emb, margin=1.0)
    (g,) = torch.autograd.grad(loss, emb)
    bad = bool(torch.isnan(g).any() or torch.isinf(g).any())
    return bad, f"loss {loss.item():.4g}; gradient NaN/inf: {bad}"


gt.main()
