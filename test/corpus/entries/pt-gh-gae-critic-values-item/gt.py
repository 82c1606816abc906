import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-gae-critic-values-item"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    captured = {}
    policy_cls = ns["Policy"]

    class Recording(policy_cls):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            captured["pol"] = self
            captured["w0"] = self.critic.weight.detach().clone()
            captured["a0"] = self.actor.weight.detach().clone()

    ns["Policy"] = Recording
    ns["train_gae"](n_epochs=2, n_prompts=8, K=2)
    pol = captured["pol"]
    critic_moved = float((pol.critic.weight.detach() - captured["w0"]).abs().max())
    actor_moved = float((pol.actor.weight.detach() - captured["a0"]).abs().max())
    rewards, log_probs, values = ns["rollout"](pol, 4, 2)
    values_t = torch.tensor(values, dtype=torch.float32)
    v_loss = torch.nn.functional.mse_loss(values_t, torch.tensor(rewards))
    return critic_moved == 0.0 and actor_moved > 0.0, (
        f"critic weight change after 2 epochs: {critic_moved:.3g}; actor weight change: {actor_moved:.3g}; "
        f"v_loss.grad_fn: {v_loss.grad_fn}")


gt.main()
