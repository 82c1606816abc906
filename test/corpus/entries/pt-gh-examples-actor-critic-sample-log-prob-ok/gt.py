"""Ground truth for pt-gh-examples-actor-critic-sample-log-prob-ok: the snippet's select_action on a small
actor-critic (Multinomial of 2017 is today's Categorical), then the example's loss: -log_prob * reward for the policy
plus a smooth L1 value loss. Every policy parameter must get a finite, non-zero gradient."""
import os
import sys
from collections import namedtuple

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-examples-actor-critic-sample-log-prob-ok"


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.affine1 = nn.Linear(4, 16)
        self.action_head = nn.Linear(16, 2)
        self.value_head = nn.Linear(16, 1)
        self.saved_actions = []

    def forward(self, x):
        x = F.relu(self.affine1(x))
        return F.softmax(self.action_head(x), dim=-1), self.value_head(x)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = Policy()
    saved = namedtuple("SavedAction", ["log_prob", "value"])
    ns = gt.exec_snippet(__file__, {"torch": torch, "model": model, "Variable": lambda t: t,
                                    "Multinomial": torch.distributions.Categorical, "SavedAction": saved})
    rng = np.random.default_rng(0)
    for _ in range(5):
        ns["select_action"](rng.normal(size=4))
    rewards = torch.tensor([1.0, 0.5, -0.2, 0.8, 0.1])
    losses = []
    for (log_prob, value), r in zip(model.saved_actions, rewards):
        losses.append(-log_prob.sum() * (r - value.item()) + F.smooth_l1_loss(value.squeeze(), r))
    torch.stack(losses).sum().backward()
    head = [p.grad for p in model.action_head.parameters()]
    ok = all(g is not None and torch.isfinite(g).all() and g.abs().sum() > 0 for g in head)
    return not ok, f"policy head gradients finite and non-zero: {ok}"


gt.main()
