import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-git-pg-is-all-you-need-sac-actor-before-critic-steps"


class Actor(nn.Module):
    """A small tanh-Gaussian actor returning (action, log_prob), as the notebook's Actor does."""

    def __init__(self, in_dim, out_dim):
        super().__init__()
        self.hidden = nn.Linear(in_dim, 16)
        self.mu = nn.Linear(16, out_dim)
        self.log_std = nn.Linear(16, out_dim)

    def forward(self, state):
        x = torch.relu(self.hidden(state))
        mu, std = torch.tanh(self.mu(x)), self.log_std(x).clamp(-5, 2).exp()
        z = mu + std * torch.randn_like(mu)
        action = torch.tanh(z)
        log_prob = (-0.5 * ((z - mu) / std) ** 2 - std.log()).sum(-1, keepdim=True)
        log_prob = log_prob - torch.log(1 - action.pow(2) + 1e-7).sum(-1, keepdim=True)
        return action, log_prob


class CriticQ(nn.Module):
    def __init__(self, in_dim):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_dim, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, state, action):
        return self.net(torch.cat((state, action), dim=-1))


class CriticV(nn.Module):
    def __init__(self, in_dim):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_dim, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, state):
        return self.net(state)


class ReplayBuffer:
    def __init__(self, obs_dim, size, batch_size):
        self.obs_dim, self.batch_size = obs_dim, batch_size

    def sample_batch(self):
        n, rng = self.batch_size, np.random.default_rng(0)
        return {"obs": rng.normal(size=(n, self.obs_dim)).astype(np.float32),
                "next_obs": rng.normal(size=(n, self.obs_dim)).astype(np.float32),
                "acts": rng.uniform(-1, 1, size=(n,)).astype(np.float32),
                "rews": rng.normal(size=(n,)).astype(np.float32), "done": np.zeros(n, dtype=np.float32)}


def run(path):
    torch.manual_seed(0)
    sys.modules.setdefault("gym", types.SimpleNamespace(Env=object))
    ns = gt.exec_snippet(path, {"Actor": Actor, "CriticQ": CriticQ, "CriticV": CriticV, "ReplayBuffer": ReplayBuffer})

    class Agent(ns["SACAgent"]):
        def _target_soft_update(self):
            for t, s in zip(self.vf_target.parameters(), self.vf.parameters()):
                t.data.copy_(self.tau * s.data + (1.0 - self.tau) * t.data)

    env = types.SimpleNamespace(observation_space=types.SimpleNamespace(shape=(3,)),
                                action_space=types.SimpleNamespace(shape=(1,)))
    agent = Agent(env, memory_size=100, batch_size=8)
    return gt.raises(agent.update_model)


@gt.case(CASE)
def _():
    err = run(__file__)
    return err is not None, f"update_model raised {err}"


gt.main()
