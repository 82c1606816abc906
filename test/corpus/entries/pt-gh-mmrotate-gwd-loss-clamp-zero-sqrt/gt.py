import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def _weighted_loss(fn):
    # Stand-in for mmdet's decorator (not installed here): element-wise loss, then the mean.
    def wrapper(pred, target, weight=None, reduction="mean", avg_factor=None, **kw):
        return fn(pred, target, **kw).mean()
    return wrapper


@gt.case("pt-gh-mmrotate-gwd-loss-clamp-zero-sqrt")
def _():
    for name in ("mmdet", "mmdet.models", "mmdet.models.losses", "mmdet.models.losses.utils"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["mmdet.models.losses.utils"].weighted_loss = _weighted_loss
    ns = gt.exec_snippet(__file__, {})
    # A prediction equal to its target (the loss's minimum), and one that is not.
    xy = torch.tensor([[1.0, 2.0], [0.0, 0.0]], dtype=torch.float64, requires_grad=True)
    sigma = torch.tensor([[[2.0, 0.3], [0.3, 1.0]], [[1.0, 0.0], [0.0, 1.0]]], dtype=torch.float64, requires_grad=True)
    xy_t = torch.tensor([[1.0, 2.0], [0.5, 0.0]], dtype=torch.float64)
    sigma_t = torch.tensor([[[2.0, 0.3], [0.3, 1.0]], [[1.5, 0.0], [0.0, 1.0]]], dtype=torch.float64)
    loss = ns["gwd_loss"]((xy, sigma), (xy_t, sigma_t))
    loss.backward()
    bad = bool(torch.isnan(xy.grad).any() or torch.isnan(sigma.grad).any())
    return bad, f"loss {loss.item():.4g}; xy grad {xy.grad.tolist()}"


gt.main()
