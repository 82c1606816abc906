import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-graph-cavs-ddpg-critic-value-detached"


class Critic(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(4 + 2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))

    def forward(self, state, action):
        return self.net(torch.cat([state, action], dim=-1))


@gt.case(CASE)
def _():
    # The snippet imports the project's replay buffer module; it is not used by learn_onestep.
    for name in ["GRL_Library", "GRL_Library.common", "GRL_Library.common.prioritized_replay_buffer"]:
        sys.modules[name] = types.ModuleType(name)
    sys.modules["GRL_Library.common.prioritized_replay_buffer"].PrioritizedReplayBuffer = type("PrioritizedReplayBuffer", (), {})
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    actor = torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.Tanh())
    critic = Critic()
    agent = ns["DDPG"](actor, torch.optim.Adam(actor.parameters(), lr=1e-2), critic,
                       torch.optim.Adam(critic.parameters(), lr=1e-2), None, None, 8, 1, 1, 0.01, 1, 0.99, "ddpg")
    data = [(torch.randn(4), torch.rand(2), float(torch.randn(())), torch.randn(4), 0.0) for _ in range(8)]
    info = {"weights": [1.0] * 8}
    before = [p.detach().clone() for p in critic.parameters()]
    actor_before = [p.detach().clone() for p in actor.parameters()]
    for _ in range(5):
        agent.learn_onestep(info, data)
    moved = max(float((p - b).abs().max()) for p, b in zip(critic.parameters(), before))
    actor_moved = max(float((p - b).abs().max()) for p, b in zip(actor.parameters(), actor_before))
    return moved == 0.0, (f"after 5 learn_onestep calls the critic's weights moved by {moved:.3g} "
                          f"(the actor's by {actor_moved:.3g}): the critic loss sends no gradient to the critic")


gt.main()
