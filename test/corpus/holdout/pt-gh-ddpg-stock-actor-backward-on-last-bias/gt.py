import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-ddpg-stock-actor-backward-on-last-bias"


@gt.case(CASE)
def _():
    # The snippet puts everything on torch.device('cuda'); on this CPU-only machine that name is made to give the CPU.
    real_device = torch.device
    torch.device = lambda *a, **k: real_device("cpu")
    try:
        ns = gt.exec_snippet(__file__)
    finally:
        torch.device = real_device
    torch.manual_seed(0)
    time_dim, state_dim, action_dim, hidden = 2, 3, 3, 8
    actor = ns["Actor"](time_dim, state_dim, action_dim, hidden)
    critic = ns["Critic"](time_dim, state_dim, action_dim, hidden)
    before = [p.detach().clone() for p in actor.actor.parameters()]
    n = 16
    state = torch.rand(n, state_dim * (time_dim + 1))
    action = torch.softmax(torch.randn(n, action_dim), dim=1)
    y = torch.rand(n, 1)
    for _ in range(5):
        # DDPG.train_on_batch: self.actor_network.train(self.critic_network.train(y_batch, action_batch, state_batch))
        actor.train(critic.train(y, action, state))
    moved = [float((p - b).abs().max()) for p, b in zip(actor.actor.parameters(), before)]
    frozen = sum(1 for m in moved[:-1] if m == 0.0)
    return frozen == len(moved) - 1, (f"after 5 updates {frozen} of the actor's {len(moved)} parameter tensors never moved; "
                                       f"only the last bias did (by {moved[-1]:.3g}): backward() on a leaf parameter "
                                       f"reaches no other weight")


gt.main()
