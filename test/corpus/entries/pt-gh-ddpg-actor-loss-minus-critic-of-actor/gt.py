import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-ddpg-actor-loss-minus-critic-of-actor"


class Critic(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = gt.mlp(5, 1)

    def forward(self, s, a):
        return self.net(torch.cat([s, a], dim=1))


class Tracker:
    def track(self, *args):
        pass


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    act_net = torch.nn.Sequential(gt.mlp(3, 2), torch.nn.Tanh())
    crt_net = Critic()
    states_v = torch.randn(16, 3, dtype=torch.float64)
    # Expected DPG: mean over batch of dQ/da * da/dtheta, built by hand.
    a = act_net(states_v)
    a_leaf = a.detach().requires_grad_(True)
    (dq_da,) = torch.autograd.grad(crt_net(states_v, a_leaf).mean(), a_leaf)
    expected = torch.autograd.grad(a, list(act_net.parameters()), grad_outputs=-dq_da)
    crt_before = [p.detach().clone() for p in crt_net.parameters()]

    act_opt = torch.optim.SGD(act_net.parameters(), lr=0.0)  # lr 0: keep the parameters to read the gradient
    gt.exec_snippet(__file__, {"act_opt": act_opt, "act_net": act_net, "crt_net": crt_net, "states_v": states_v,
                               "tb_tracker": Tracker(), "frame_idx": 0})
    got = [p.grad for p in act_net.parameters()]
    err = max(gt.rel_err(g, e) for g, e in zip(got, expected))
    crt_same = all(torch.equal(p, q) for p, q in zip(crt_net.parameters(), crt_before))
    return not (err < 1e-9 and crt_same), f"actor grad vs hand-built DPG: rel err {err:.2e}; critic unchanged: {crt_same}"


gt.main()
