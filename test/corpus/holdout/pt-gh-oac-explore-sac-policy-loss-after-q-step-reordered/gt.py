import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-oac-explore-sac-policy-loss-after-q-step-reordered"
OBS, ACT = 5, 2


class QNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(OBS + ACT, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))

    def forward(self, obs, action):
        return self.net(torch.cat([obs, action], dim=-1))


@gt.case(CASE)
def _():
    # The names the fragment uses, computed as SACTrainer.train_from_torch computes them before "Update networks".
    torch.manual_seed(0)
    n = 32
    policy = torch.nn.Linear(OBS, 2 * ACT)
    qf1, qf2, target_qf1, target_qf2 = QNet(), QNet(), QNet(), QNet()
    me = types.SimpleNamespace(qf1=qf1, qf2=qf2, policy=policy,
                               qf1_optimizer=torch.optim.Adam(qf1.parameters(), lr=1e-2),
                               qf2_optimizer=torch.optim.Adam(qf2.parameters(), lr=1e-2),
                               policy_optimizer=torch.optim.Adam(policy.parameters(), lr=1e-2))
    obs, next_obs = torch.randn(n, OBS), torch.randn(n, OBS)
    actions, rewards = torch.rand(n, ACT) * 2 - 1, torch.randn(n, 1)

    def sample(o):
        mean, log_std = policy(o).chunk(2, dim=-1)
        std = log_std.exp()
        pre = mean + std * torch.randn_like(mean)
        a = torch.tanh(pre)
        return a, (torch.distributions.Normal(mean, std).log_prob(pre) - torch.log(1 - a ** 2 + 1e-6)).sum(-1, keepdim=True)

    new_obs_actions, log_pi = sample(obs)
    alpha = torch.tensor(0.2)
    new_next_actions, new_log_pi = sample(next_obs)
    q_target = rewards + 0.99 * (torch.min(target_qf1(next_obs, new_next_actions), target_qf2(next_obs, new_next_actions)) - alpha * new_log_pi)
    qf1_loss = torch.nn.functional.mse_loss(qf1(obs, actions), q_target.detach())
    qf2_loss = torch.nn.functional.mse_loss(qf2(obs, actions), q_target.detach())
    names = dict(self=me, torch=torch, qf1_loss=qf1_loss, qf2_loss=qf2_loss, obs=obs, new_obs_actions=new_obs_actions,
                 alpha=alpha, log_pi=log_pi)
    ns = {}
    err = gt.raises(lambda: ns.update(gt.exec_snippet(__file__, names)))
    if err:
        return True, f"the reordered update raised {err}"
    g = gt.norm_of([p.grad for p in policy.parameters() if p.grad is not None])
    return g == 0.0, f"the reordered update ran; policy gradient norm {g:.3g} (policy loss built from the already-stepped Q networks)"


gt.main()
