"""Ground truth for pt-gh-ecn-bernoulli-forward-log-prob-ok: the snippet's forward bound to a small module (h1 a
linear layer), then a REINFORCE loss -(eligibility * reward) minus 0.01 times the entropy. The layer must get finite,
non-zero gradients."""
import os
import sys
import types
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-ecn-bernoulli-forward-log-prob-ok"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"torch": torch, "F": F})
    policy = nn.Module()
    policy.h1 = nn.Linear(6, 3)
    forward = types.MethodType(ns["forward"], policy)
    x = torch.randn(4, 6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # F.sigmoid is deprecated
        eligibility, a, entropy = forward(x)
    reward = torch.rand(4, 1)
    (-(eligibility * reward).sum() - 0.01 * entropy).backward()
    grads = [policy.h1.weight.grad, policy.h1.bias.grad]
    ok = all(g is not None and torch.isfinite(g).all() and g.abs().sum() > 0 for g in grads)
    return not ok, f"action requires grad: {a.requires_grad}; layer gradients finite and non-zero: {ok}"


gt.main()
