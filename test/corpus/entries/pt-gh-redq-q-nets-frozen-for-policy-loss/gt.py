import copy
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-redq-q-nets-frozen-for-policy-loss"


class RecordingOpt:
    """Stands for a Q network's Adam: records the .grad it would step with."""

    def __init__(self, net):
        self.net, self.grads = net, None

    def zero_grad(self):
        for p in self.net.parameters():
            p.grad = None

    def step(self):
        self.grads = [p.grad.detach().clone() for p in self.net.parameters()]


class Policy(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(3, 2).double()

    def forward(self, obs):
        pre = self.lin(obs)
        a = torch.tanh(pre)
        log_prob = -(a ** 2).sum(1, keepdim=True)
        return a, a, pre, log_prob, None, pre


@gt.case(CASE)
def _():
    # Stand-in for redq.algos.core (the agent's helpers) and a tiny agent: 2 Q networks, obs 3, act 2.
    core = types.ModuleType("redq.algos.core")
    for name in ("TanhGaussianPolicy", "Mlp", "ReplayBuffer", "mbpo_target_entropy_dict"):
        setattr(core, name, None)
    core.soft_update_model1_with_model2 = lambda target, source, polyak: None
    for mod in ("redq", "redq.algos"):
        sys.modules.setdefault(mod, types.ModuleType(mod))
    sys.modules["redq.algos.core"] = core
    ns = gt.exec_snippet(__file__, {})
    Agent = ns["REDQSACAgent"]
    agent = object.__new__(Agent)
    torch.manual_seed(0)
    obs, obs2 = torch.randn(16, 3, dtype=torch.float64), torch.randn(16, 3, dtype=torch.float64)
    acts, rews = torch.randn(16, 2, dtype=torch.float64), torch.randn(16, 1, dtype=torch.float64)
    done, y = torch.zeros(16, 1, dtype=torch.float64), torch.randn(16, 1, dtype=torch.float64)
    agent.num_Q, agent.utd_ratio, agent.delay_update_steps, agent.batch_size = 2, 1, 0, 16
    agent.policy_update_delay, agent.auto_alpha, agent.alpha, agent.polyak = 1, False, 0.2, 0.995
    agent._REDQSACAgent__get_current_num_data = lambda: 1000
    agent.sample_data = lambda batch_size: (obs, obs2, acts, rews, done)
    agent.get_redq_q_target_no_grad = lambda o2, r, d: (y, None)
    agent.q_net_list = [gt.mlp(5, 1, width=8) for _ in range(2)]
    for i, q in enumerate(agent.q_net_list):
        torch.manual_seed(i + 1)
        for p in q.parameters():
            p.data.normal_(0, 0.5)
    agent.q_target_net_list = [copy.deepcopy(q) for q in agent.q_net_list]
    agent.q_optimizer_list = [RecordingOpt(q) for q in agent.q_net_list]
    agent.policy_net = Policy()
    agent.policy_optimizer = torch.optim.SGD(agent.policy_net.parameters(), lr=0.0)
    agent.mse_criterion = torch.nn.MSELoss()
    agent.train(types.SimpleNamespace(store=lambda **kw: None))
    # The gradient the Q update should use: that of the Q loss alone.
    preds = torch.cat([q(torch.cat([obs, acts], 1)) for q in agent.q_net_list], 1)
    q_loss = torch.nn.MSELoss()(preds, y.expand(-1, 2)) * 2
    params = [p for q in agent.q_net_list for p in q.parameters()]
    want = torch.autograd.grad(q_loss, params)
    got = [g for o in agent.q_optimizer_list for g in o.grads]
    err = max(gt.rel_err(g, w) for g, w in zip(got, want))
    return err > 1e-6, f"Q-network gradient at the optimizer step vs the Q loss's own gradient: rel err {err:.3g}"


gt.main()
