import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


def reduce_sum(x, axis=None, keepdim=False):
    """utils/tools.py's reduce_sum, as the repository defines it."""
    if not axis:
        axis = range(len(x.shape))
    for i in sorted(axis, reverse=True):
        x = torch.sum(x, dim=i, keepdim=keepdim)
    return x


@gt.case("pt-git-contextual-attention-sqrt-max-nan")
def _():
    # background patches of one image: 4 patches of 8 channels x 3 x 3, one of them all zero
    # (a hole filled with zeros / a dead ReLU region); the patches come from the network, so they require grad
    feat = torch.randn(1, 4, 8, 3, 3)
    feat[0, 2] = 0.0
    feat.requires_grad_(True)
    ns = gt.exec_snippet(__file__, {"torch": torch, "reduce_sum": reduce_sum, "wi": feat,
                                   "self": types.SimpleNamespace(use_cuda=False)})
    out = ns["wi_normed"]
    (out * torch.randn_like(out)).sum().backward()
    g = feat.grad
    n_nan = int(torch.isnan(g).sum())
    fwd_ok = bool(torch.isfinite(out).all())
    return n_nan > 0, f"forward finite: {fwd_ok}; NaN entries in the gradient w.r.t. the patches: {n_nan} of {g.numel()} (the all-zero patch's)"


gt.main()
