import copy, os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn as nn


class SoftQ(nn.Module):
    """Stand-in for sac_v2_lstm.py's QNetworkLSTM: (state, action, last_action, hidden) -> (q, hidden)."""
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3 + 1 + 1, 16), nn.Tanh(), nn.Linear(16, 1))

    def forward(self, state, action, last_action, hidden_in):
        return self.net(torch.cat([state, action, last_action], -1)), hidden_in


@gt.case("pt-gh-sac-lstm-target-detach-without-no-grad-ok")
def _():
    torch.set_default_dtype(torch.float64)
    q1, q2, t1, t2 = SoftQ(), SoftQ(), SoftQ(), SoftQ()
    policy_head = nn.Linear(3, 2)  # next action and its log-prob come from the policy (they require grad)
    B = 8
    state, next_state = torch.randn(B, 3), torch.randn(B, 3)
    action, reward, done = torch.randn(B, 1), torch.randn(B, 1), (torch.rand(B, 1) < 0.2).double()
    out = policy_head(next_state)
    new_next_action, next_log_prob = out[:, :1], out[:, 1:]
    predicted_q_value1, _ = q1(state, action, action, None)
    predicted_q_value2, _ = q2(state, action, action, None)
    owner = types.SimpleNamespace(target_soft_q_net1=t1, target_soft_q_net2=t2, alpha=0.2,
                                  soft_q_criterion1=nn.MSELoss(), soft_q_criterion2=nn.MSELoss())
    ns = gt.exec_snippet(__file__, {"torch": torch, "self": owner, "next_state": next_state,
                                    "new_next_action": new_next_action, "action": action, "hidden_out": None,
                                    "next_log_prob": next_log_prob, "reward": reward, "done": done, "gamma": 0.99,
                                    "predicted_q_value1": predicted_q_value1, "predicted_q_value2": predicted_q_value2})
    (ns["q_value_loss1"] + ns["q_value_loss2"]).backward()
    got = [p.grad.clone() for p in list(q1.parameters()) + list(q2.parameters())]
    leaked = [p.grad for p in list(t1.parameters()) + list(t2.parameters()) + list(policy_head.parameters()) if p.grad is not None]
    # Reference: the asker's proposal, the target computed under torch.no_grad().
    for p in list(q1.parameters()) + list(q2.parameters()):
        p.grad = None
    pq1, _ = q1(state, action, action, None)
    pq2, _ = q2(state, action, action, None)
    with torch.no_grad():
        tq = torch.min(t1(next_state, new_next_action, action, None)[0], t2(next_state, new_next_action, action, None)[0]) - 0.2 * next_log_prob
        target = reward + (1 - done) * 0.99 * tq
    (nn.MSELoss()(pq1, target) + nn.MSELoss()(pq2, target)).backward()
    ref = [p.grad for p in list(q1.parameters()) + list(q2.parameters())]
    diff = max((a - b).abs().max().item() for a, b in zip(got, ref))
    return diff > 1e-12 or len(leaked) > 0, f"critic grads with .detach() vs torch.no_grad(): max |diff| {diff:.2g}; target/policy params that got a .grad: {len(leaked)}"


gt.main()
