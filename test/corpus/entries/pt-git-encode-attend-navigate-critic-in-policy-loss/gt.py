import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


class Agent(torch.nn.Module):
    """A stand-in for the attention agent: returns (tour, critique, log_probs, _) with a policy head and a critic head."""

    def __init__(self, n=5):
        super().__init__()
        torch.manual_seed(0)
        self.policy = torch.nn.Linear(2, n)
        self.critic = torch.nn.Linear(2, 1)

    def forward(self, data):
        feat = data.mean(1)
        logp = torch.log_softmax(self.policy(feat), -1)
        n = data.shape[1]
        tour = torch.cat([torch.arange(n), torch.zeros(1, dtype=torch.long)]).repeat(len(data), 1)
        return tour, self.critic(feat).squeeze(-1), logp.sum(-1), None


@gt.case("pt-git-encode-attend-navigate-critic-in-policy-loss")
def _():
    ns = gt.exec_snippet(__file__)
    conf = types.SimpleNamespace(device="cpu", lr=1e-3, lr_decay_rate=0.96, lr_decay_steps=5000, grad_clip=1e9)
    agent = Agent()
    trainer = ns["Trainer"](conf, agent, dataset=None)
    torch.manual_seed(1)
    data = torch.rand(8, 5, 2)
    # The critic's gradient when it is trained by its own loss only, at the same weights.
    _, critique, _, _ = agent(data)
    reward = ns["reward_fn"](data, agent(data)[0])
    want = torch.autograd.grad(torch.nn.functional.mse_loss(reward, critique), list(agent.critic.parameters()))
    trainer.train_step(data)
    got = [p.grad for p in agent.critic.parameters()]
    err = max(gt.rel_err(g, w) for g, w in zip(got, want))
    return err > 1e-5, f"critic gradient against that of the critic loss alone: relative error {gt.fmt(err)}"


gt.main()
