import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-a3c-log-probs-rewrapped-torch-tensor"


class ActorContinous(torch.nn.Module):
    # the repository's Actor_Critic/A3C/untils.py ActorContinous (mu and sigma heads)
    def __init__(self, state_size, action_size):
        super().__init__()
        self.fc1 = torch.nn.Linear(state_size, 128)
        self.fc2 = torch.nn.Linear(128, 128)
        self.mu_head = torch.nn.Linear(128, action_size)
        self.sigma_head = torch.nn.Linear(128, action_size)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return 2.0 * torch.tanh(self.mu_head(x)), F.softplus(self.sigma_head(x))


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    w = ns["Worker"].__new__(ns["Worker"])
    w.gamma = 0.9
    w.local_valueNet = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    w.local_policyNet = ActorContinous(3, 1)
    # a trajectory as the workers collect it: state, the policy's log-probability (a float), reward
    states = torch.randn(6, 3)
    mu, sigma = w.local_policyNet(states)
    actions = torch.distributions.Normal(mu, sigma).sample()
    logp = torch.distributions.Normal(mu, sigma).log_prob(actions)
    w.memory = [[states[i].tolist(), float(logp[i]), float(torch.randn(())), None, False] for i in range(6)]
    _, policy_loss = w.calculate_loss()
    params = list(w.local_policyNet.parameters())
    g = torch.autograd.grad(policy_loss, params, allow_unused=True)
    # the gradient of the entropy term alone: what is left when the policy-gradient term carries no graph
    mu2, sigma2 = w.local_policyNet(torch.tensor([m[0] for m in w.memory]))
    ent = 0.5 + 0.5 * torch.log(torch.tensor(2 * torch.pi)) + torch.log(sigma2)
    g_ent = torch.autograd.grad((-0.005 * ent).mean(), params, allow_unused=True)
    same = all((a is None and b is None) or (a is not None and b is not None and torch.allclose(a, b, atol=1e-7))
               for a, b in zip(g, g_ent))
    mu_grad = g[4]
    return same, (f"policy_loss gradient equals the entropy term's alone: {same}; "
                  f"gradient reaching the mean head: {'None' if mu_grad is None else f'{float(mu_grad.abs().sum()):.3g}'}")


gt.main()
