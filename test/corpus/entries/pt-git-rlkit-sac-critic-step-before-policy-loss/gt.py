import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-git-rlkit-sac-critic-step-before-policy-loss"


class Policy(nn.Module):
    """A small tanh-Gaussian policy with rlkit's call signature and return order."""

    def __init__(self, obs_dim=3, act_dim=2):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, 16), nn.ReLU(), nn.Linear(16, 2 * act_dim))
        self.act_dim = act_dim

    def forward(self, obs, reparameterize=True, return_log_prob=True):
        out = self.net(obs)
        mean, log_std = out[:, :self.act_dim], out[:, self.act_dim:].clamp(-5, 2)
        pre = mean + log_std.exp() * torch.randn_like(mean)
        action = torch.tanh(pre)
        log_prob = (-0.5 * ((pre - mean) / log_std.exp()) ** 2 - log_std).sum(1, keepdim=True)
        log_prob = log_prob - torch.log(1 - action.pow(2) + 1e-6).sum(1, keepdim=True)
        return action, mean, log_std, log_prob


class QF(nn.Module):
    def __init__(self, obs_dim=3, act_dim=2):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim + act_dim, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, obs, act):
        return self.net(torch.cat([obs, act], 1))


def soft_update_from_to(source, target, tau):
    for t, s in zip(target.parameters(), source.parameters()):
        t.data.copy_(t.data * (1.0 - tau) + s.data * tau)


def run(path):
    torch.manual_seed(0)
    ptu = SimpleNamespace(zeros=torch.zeros, soft_update_from_to=soft_update_from_to)
    ns = gt.exec_snippet(path, {"TorchTrainer": object, "ptu": ptu})
    env = SimpleNamespace(action_space=SimpleNamespace(shape=(2,)))
    trainer = ns["SACTrainer"](env, Policy(), QF(), QF(), QF(), QF())
    batch = {"rewards": torch.rand(8, 1), "terminals": torch.zeros(8, 1), "observations": torch.randn(8, 3),
             "actions": torch.rand(8, 2) * 2 - 1, "next_observations": torch.randn(8, 3)}
    return gt.raises(lambda: trainer.train_from_torch(batch))


@gt.case(CASE)
def _():
    err = run(__file__)
    return err is not None and "inplace" in err, f"train_from_torch raised {err}"


gt.main()
