import os, sys, types, math
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import numpy as np
from torch.distributions import Normal

CASE = "pt-gh-lets-do-irl-vail-second-backward-after-critic-step"


def _utils():
    # mujoco/vail/utils/utils.py of the repository: the two helpers train_actor_critic uses, unchanged.
    for name in ["utils", "utils.utils"]:
        sys.modules[name] = types.ModuleType(name)
    u = sys.modules["utils.utils"]

    def get_entropy(mu, std):
        dist = Normal(mu, std)
        entropy = dist.entropy().mean()
        return entropy

    def log_prob_density(x, mu, std):
        log_prob_density = -(x - mu).pow(2) / (2 * std.pow(2)) \
                         - 0.5 * math.log(2 * math.pi)
        return log_prob_density.sum(1, keepdim=True)

    u.get_entropy, u.log_prob_density = get_entropy, log_prob_density
    u.__all__ = ["get_entropy", "log_prob_density"]


class Actor(torch.nn.Module):
    def __init__(self, s, a):
        super().__init__()
        self.fc = torch.nn.Linear(s, a)
        self.log_std = torch.nn.Parameter(torch.zeros(a))

    def forward(self, x):
        mu = self.fc(x)
        return mu, self.log_std.exp().expand_as(mu)


@gt.case(CASE)
def _():
    _utils()
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    rng = np.random.RandomState(0)
    S, A, N = 4, 2, 32
    actor, critic = Actor(S, A), torch.nn.Sequential(torch.nn.Linear(S, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    # The repository's Memory holds (state, action, reward, mask) rows; as an object array so that the snippet's
    # np.array(memory) keeps the rows as they were stored (NumPy of its time did this implicitly).
    memory = np.empty((N, 4), dtype=object)
    for i in range(N):
        memory[i, 0], memory[i, 1], memory[i, 2], memory[i, 3] = rng.randn(S), rng.randn(A), float(rng.randn()), 1.0
    args = types.SimpleNamespace(gamma=0.99, lamda=0.98, ppo_update_num=1, batch_size=16, clip_param=0.2)
    err = gt.raises(lambda: ns["train_actor_critic"](actor, critic, memory, torch.optim.Adam(actor.parameters(), lr=3e-4),
                                                    torch.optim.Adam(critic.parameters(), lr=3e-4), args))
    return err is not None, f"train_actor_critic raised {err}" if err else "train_actor_critic ran"


gt.main()
