import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-option-critic-q-detached-earlier"


class OptionCriticFeatures(torch.nn.Module):
    # a small stand-in with the repository's interface: get_state, get_Q (one value per option),
    # get_terminations (one sigmoid per option)
    def __init__(self, obs_dim=4, num_options=2):
        super().__init__()
        self.features = torch.nn.Sequential(torch.nn.Linear(obs_dim, 16), torch.nn.ReLU())
        self.Q = torch.nn.Linear(16, num_options)
        self.terminations = torch.nn.Linear(16, num_options)

    def get_state(self, obs):
        return self.features(obs)

    def get_Q(self, state):
        return self.Q(state)

    def get_terminations(self, state):
        return self.terminations(state).sigmoid()


@gt.case(CASE)
def _():
    torch.manual_seed(0)

    def to_tensor(obs):
        return torch.as_tensor(obs, dtype=torch.float32).unsqueeze(0)

    ns = gt.exec_snippet(__file__, {"to_tensor": to_tensor})
    model, model_prime = OptionCriticFeatures(), OptionCriticFeatures()
    args = types.SimpleNamespace(gamma=0.99, termination_reg=0.01, entropy_reg=0.01)
    logits = torch.randn(3, requires_grad=True)
    dist = torch.distributions.Categorical(logits=logits)
    action = dist.sample()
    loss = ns["actor_loss"]([0.1, -0.2, 0.3, 0.05], 1, dist.log_prob(action), dist.entropy(), 1.0, False,
                            [0.2, -0.1, 0.25, 0.0], model, model_prime, args)
    q_grads = torch.autograd.grad(loss.sum(), list(model.Q.parameters()) + [logits], allow_unused=True)
    q_leak = sum(0.0 if g is None else float(g.abs().sum()) for g in q_grads[:-1])
    policy = float(q_grads[-1].abs().sum())
    return q_leak > 0.0, f"gradient of the actor loss on the Q head: {q_leak:.3g}; on the policy logits: {policy:.3g}"


gt.main()
