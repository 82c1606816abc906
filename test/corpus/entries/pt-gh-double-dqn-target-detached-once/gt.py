import os
import sys
import types
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-double-dqn-target-detached-once"


@gt.case(CASE)
def _():
    warnings.simplefilter("ignore")
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    n = 12
    batch = (rng.standard_normal((n, 4)).astype(np.float32), rng.integers(0, 3, n),
             rng.standard_normal(n).astype(np.float32), rng.random(n) < 0.3,
             rng.standard_normal((n, 4)).astype(np.float32))
    common = types.SimpleNamespace(unpack_batch=lambda b: b)
    lib = types.ModuleType("lib")
    lib.common, lib.dqn_model = common, types.SimpleNamespace()
    sys.modules["lib"] = lib
    ns = gt.exec_snippet(__file__)
    net = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3))
    tgt = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3))
    loss = ns["calc_loss"](batch, net, tgt, gamma=0.9)
    loss.backward()
    got = [p.grad.clone() for p in net.parameters()]
    tgt_grads = [p.grad for p in tgt.parameters()]
    # Reference: semi-gradient with the whole TD target as a constant.
    s, a, r, d, s2 = (torch.tensor(x) for x in batch)
    with torch.no_grad():
        a2 = net(s2).max(1)[1]
        v2 = tgt(s2).gather(1, a2.unsqueeze(-1)).squeeze(-1)
        v2[d] = 0.0
        y = v2 * 0.9 + r
    net.zero_grad()
    torch.nn.functional.mse_loss(net(s).gather(1, a.unsqueeze(-1)).squeeze(-1), y).backward()
    err = max(gt.rel_err(g, p.grad) for g, p in zip(got, net.parameters()))
    leak = any(g is not None for g in tgt_grads)
    return not (err < 1e-6 and not leak), f"online-net grad vs fully detached target: rel err {err:.2e}; target net got grads: {leak}"


gt.main()
