import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-double-dqn-target-same-net-not-detached"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    rng = np.random.RandomState(0)
    batch = ([rng.randn(4).astype(np.float32) for _ in range(16)], list(rng.randint(0, 2, 16)),
             list(rng.randn(16).astype(np.float32)), [rng.randn(4).astype(np.float32) for _ in range(16)],
             [False] * 16)
    memory = type("Memory", (), {"sample": lambda self, n: batch, "__len__": lambda self: 100})()
    qnet = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 2))
    cfg = {"n_actions": 2, "device": "cpu", "gamma": 0.99, "epsilon_start": 0.9, "epsilon_end": 0.01,
           "epsilon_decay": 500, "batch_size": 16, "lr": 1e-3}
    agent = ns["DoubleDQN"]({"Qnet": qnet}, {"Memory": memory}, cfg)
    captured = {}
    step = agent.optimizer.step
    agent.optimizer.step = lambda *a, **k: captured.setdefault("g", [p.grad.clone() for p in qnet.parameters()])
    agent.update()
    agent.optimizer.step = step
    # the semi-gradient of the same loss: the Double DQN target treated as a constant
    s, a, r, s2, d = (torch.tensor(np.array(x), dtype=torch.float) for x in batch)
    q = qnet(s).gather(1, a.long().unsqueeze(1))
    with torch.no_grad():
        a2 = qnet(s2).max(1)[1].unsqueeze(1)
        y = r.unsqueeze(1) + 0.99 * qnet(s2).gather(1, a2) * (1 - d.unsqueeze(1))
    ref = torch.autograd.grad(torch.nn.MSELoss()(q, y), list(qnet.parameters()))
    ref = [g.clamp(-1, 1) for g in ref]
    err = max(gt.rel_err(g, h) for g, h in zip(captured["g"], ref))
    same = agent.target_net is agent.policy_net
    return err > 1e-3, f"target_net is policy_net: {same}; relative difference to the semi-gradient {err:.3g}"


gt.main()
