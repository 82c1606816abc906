import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-swarmrl-actor-loss-doubles-each-step"


@gt.case(CASE)
def _():
    loss_mod = types.ModuleType("swarmrl.losses.loss")
    loss_mod.Loss = type("Loss", (), {})
    sys.modules.update({"swarmrl": types.ModuleType("swarmrl"), "swarmrl.losses": types.ModuleType("swarmrl.losses"),
                        "swarmrl.losses.loss": loss_mod})
    ns = gt.exec_snippet(__file__, {"print": lambda *a, **k: None})
    pg = object.__new__(ns["PolicyGradientLoss"])
    T = 5
    pg.n_time_steps = T
    g = torch.Generator().manual_seed(0)
    # one particle's episode: log pi(a_t | s_t) as leaves, the critic's values and the rewards
    log_probs = [torch.tensor(-1.0 - 0.1 * t, dtype=torch.double, requires_grad=True) for t in range(T)]
    values = torch.randn(T, generator=g).tolist()
    rewards = torch.randn(T, generator=g).tolist()
    loss = pg.compute_actor_loss(log_probs, values, rewards)
    grads = torch.autograd.grad(loss, log_probs)
    advantage = pg.compute_true_value_function(rewards) - torch.tensor(values)
    # REINFORCE with baseline: loss = -sum_t log pi_t * A_t, so d loss / d log pi_t = -A_t for every step
    weights = [float(gr / -advantage[t]) for t, gr in enumerate(grads)]
    bad = max(abs(w - 1.0) for w in weights) > 1e-6
    return bad, "weight of each step's -A_t in the gradient: " + ", ".join(f"{w:.3g}" for w in weights)


gt.main()
