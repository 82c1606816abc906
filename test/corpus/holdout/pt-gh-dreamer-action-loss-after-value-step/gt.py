import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
from torch.nn.functional import mse_loss
from torch.nn.utils import clip_grad_norm_
from torch.optim import Adam

CASE = "pt-gh-dreamer-action-loss-after-value-step"
S, H, A = 4, 6, 2


def lambda_target(rewards, values, gamma, lambda_):
    """utils.lambda_target of the repository, unchanged."""
    V_lambda = torch.zeros_like(rewards, device=rewards.device)

    H = rewards.shape[0] - 1
    V_n = torch.zeros_like(rewards, device=rewards.device)
    V_n[H] = values[H]
    for n in range(1, H+1):
        V_n[:-n] = (gamma ** n) * values[n:]
        for k in range(1, n+1):
            if k == n:
                V_n[:-n] += (gamma ** (n-1)) * rewards[k:]
            else:
                V_n[:-n] += (gamma ** (k-1)) * rewards[k:-n+k]
        if n == H:
            V_lambda += (lambda_ ** (H-1)) * V_n
        else:
            V_lambda += (1 - lambda_) * (lambda_ ** (n-1)) * V_n

    return V_lambda


class Head(torch.nn.Module):
    """state, rnn_hidden -> output, like the repository's RewardModel / ValueModel / ActionModel."""

    def __init__(self, out, act=None):
        super().__init__()
        self.fc = torch.nn.Linear(S + H, out)
        self.act = act

    def forward(self, state, rnn_hidden):
        y = self.fc(torch.cat([state, rnn_hidden], dim=1))
        return self.act(y) if self.act else y


class RSSM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = torch.nn.GRUCell(S + A, H)
        self.fc = torch.nn.Linear(H, 2 * S)

    def prior(self, state, action, rnn_hidden):
        rnn_hidden = self.cell(torch.cat([state, action], dim=1), rnn_hidden)
        mean, std = self.fc(rnn_hidden).chunk(2, dim=1)
        return torch.distributions.Normal(mean, torch.nn.functional.softplus(std) + 0.1), rnn_hidden


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    value_model, action_model = Head(1), Head(A, torch.tanh)
    names = dict(torch=torch, mse_loss=mse_loss, clip_grad_norm_=clip_grad_norm_, lambda_target=lambda_target,
                 args=types.SimpleNamespace(imagination_horizon=5, state_dim=S, rnn_hidden_dim=H, gamma=0.9,
                                            lambda_=0.95, clip_grad_norm=100),
                 flatten_states=torch.randn(8, S), flatten_rnn_hiddens=torch.randn(8, H),
                 rssm=RSSM(), reward_model=Head(1), value_model=value_model, action_model=action_model,
                 value_optimizer=Adam(value_model.parameters(), lr=1e-3),
                 action_optimizer=Adam(action_model.parameters(), lr=1e-3))
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    return err is not None, f"the value/action update raised {err}" if err else "the value/action update ran"


gt.main()
