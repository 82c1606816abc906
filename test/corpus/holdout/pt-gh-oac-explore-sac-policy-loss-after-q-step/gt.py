import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-oac-explore-sac-policy-loss-after-q-step"
OBS, ACT = 5, 2


def _utils():
    # The repository's utils package (rlkit's pytorch_util): tensors on the CPU, a soft target update.
    for name in ["utils", "utils.core", "utils.pytorch_util", "utils.eval_util"]:
        sys.modules[name] = types.ModuleType(name)
    sys.modules["utils.core"].np_to_pytorch_batch = lambda b: {k: torch.as_tensor(v) for k, v in b.items()}
    ptu = sys.modules["utils.pytorch_util"]
    ptu.zeros = lambda *a, **k: torch.zeros(*a, **k)

    def soft_update_from_to(source, target, tau):
        with torch.no_grad():
            for t, s in zip(target.parameters(), source.parameters()):
                t.mul_(1 - tau).add_(tau * s)

    ptu.soft_update_from_to = soft_update_from_to
    sys.modules["utils.eval_util"].create_stats_ordered_dict = lambda *a, **k: {}


class TanhGaussianPolicy(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Linear(OBS, 2 * ACT)

    def forward(self, obs, reparameterize=True, return_log_prob=True):
        mean, log_std = self.net(obs).chunk(2, dim=-1)
        std = log_std.clamp(-5, 2).exp()
        pre = mean + std * torch.randn_like(mean)
        action = torch.tanh(pre)
        log_pi = (torch.distributions.Normal(mean, std).log_prob(pre) - torch.log(1 - action ** 2 + 1e-6)).sum(-1, keepdim=True)
        return action, mean, log_std, log_pi


class QNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(OBS + ACT, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))

    def forward(self, obs, action):
        return self.net(torch.cat([obs, action], dim=-1))


@gt.case(CASE)
def _():
    _utils()
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    trainer = ns["SACTrainer"](TanhGaussianPolicy, QNet, target_entropy=-float(ACT))
    n = 32
    batch = {"rewards": torch.randn(n, 1), "terminals": torch.zeros(n, 1), "observations": torch.randn(n, OBS),
             "actions": torch.rand(n, ACT) * 2 - 1, "next_observations": torch.randn(n, OBS)}
    err = gt.raises(lambda: trainer.train_from_torch(batch))
    return err is not None, f"train_from_torch raised {err}" if err else "train_from_torch ran"


gt.main()
