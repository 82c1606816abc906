import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-openspiel-pg-clips-baseline-not-policy"


class BatchA2CLoss:
    """open_spiel.python.pytorch.losses.rl_losses.BatchA2CLoss (entropy term off): cross-entropy of the taken
    actions times the detached advantage returns - baseline, averaged."""

    def __init__(self, entropy_cost=None):
        self._entropy_cost = entropy_cost

    def loss(self, policy_logits, baseline, actions, returns):
        advantages = (returns - baseline).detach()
        return torch.mean(F.cross_entropy(policy_logits, actions, reduction="none") * advantages, dim=0)


class RecordingSGD(torch.optim.SGD):
    """The agent's pi optimizer (over torso + policy head); records the policy head's gradient norm at step."""

    def __init__(self, params, head, lr):
        super().__init__(params, lr=lr)
        self.head, self.head_norm = head, None

    def step(self, closure=None):
        self.head_norm = float(torch.norm(torch.stack([p.grad.norm() for p in self.head.parameters()])))
        return super().step(closure)


@gt.case(CASE)
def _():
    rl_agent = types.ModuleType("open_spiel.python.rl_agent")
    rl_agent.AbstractAgent = object
    python = types.ModuleType("open_spiel.python")
    python.rl_agent = rl_agent
    sys.modules.update({"open_spiel": types.ModuleType("open_spiel"), "open_spiel.python": python,
                        "open_spiel.python.rl_agent": rl_agent})
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    agent = object.__new__(ns["PolicyGradient"])
    agent._net_torso = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU())
    agent._policy_logits_layer = torch.nn.Linear(16, 3)
    agent._baseline_layer = torch.nn.Linear(16, 1)
    agent._loss_class, agent.pg_class = BatchA2CLoss, BatchA2CLoss()
    agent._max_global_gradient_norm = 0.1
    pi_network = torch.nn.Sequential(agent._net_torso, agent._policy_logits_layer)
    agent._pi_optimizer = RecordingSGD(pi_network.parameters(), agent._policy_logits_layer, lr=0.1)
    g = torch.Generator().manual_seed(1)
    agent._dataset = {"info_states": torch.randn(32, 4, generator=g).tolist(),
                      "actions": torch.randint(0, 3, (32,), generator=g).tolist(),
                      "returns": (5 * torch.randn(32, generator=g)).tolist()}
    agent._pi_update()
    norm = agent._pi_optimizer.head_norm
    return norm > agent._max_global_gradient_norm * (1 + 1e-6), (
        f"policy-head gradient norm at the pi optimizer's step: {norm:.4g} (max_global_gradient_norm 0.1)")


gt.main()
