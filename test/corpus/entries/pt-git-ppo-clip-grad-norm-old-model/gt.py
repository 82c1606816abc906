import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-git-ppo-clip-grad-norm-old-model"


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(6, 16)
        self.pi, self.v = nn.Linear(16, 3), nn.Linear(16, 1)

    def act(self, x, actions):
        h = torch.tanh(self.body(x))
        dist = torch.distributions.Categorical(logits=self.pi(h))
        return actions, dist.log_prob(actions), self.v(h), dist.entropy()


def total_norm(params):
    gs = [p.grad for p in params if p.grad is not None]
    return float(torch.norm(torch.stack([g.norm() for g in gs]))) if gs else 0.0


@gt.case(CASE)
def _():
    gt.exec_snippet(__file__)  # the quoted classes parse and define
    torch.manual_seed(0)
    model, model_old = Model(), Model()
    model_old.load_state_dict(model.state_dict())
    states, actions = torch.randn(64, 6) * 5, torch.randint(0, 3, (64,))
    returns = torch.randn(64) * 10
    _, log_probs, values, entropy = model.act(states, actions)
    values = values.squeeze()
    advantage = (returns - values).detach()
    pg_loss = -(log_probs * advantage).mean()
    value_loss = nn.functional.mse_loss(values, returns)
    loss = (pg_loss + value_loss - 0.01 * entropy).mean()
    loss.backward()
    nn.utils.clip_grad_norm_(model_old.parameters(), 0.5)  # the quoted line
    stepped = total_norm(model.parameters())
    old_has_grad = any(p.grad is not None for p in model_old.parameters())
    return stepped > 0.5 * 1.01, f"gradient norm the optimiser steps with: {stepped:.3g} (clip target 0.5); model_old has grads: {old_has_grad}"


gt.main()
