import copy, os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn as nn
import torch.nn.functional as F


class Qnet(nn.Module):
    """minimalRL dqn.py's Qnet (4 -> 128 -> 128 -> 2)."""
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 128)
        self.fc2 = nn.Linear(128, 128)
        self.fc3 = nn.Linear(128, 2)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class Memory:
    """Replay buffer stand-in: a fixed sequence of seeded batches (s, a, r, s_prime, done_mask)."""
    def __init__(self, seed):
        self.gen = torch.Generator().manual_seed(seed)

    def sample(self, n):
        g = self.gen
        return (torch.randn(n, 4, generator=g), torch.randint(0, 2, (n, 1), generator=g), torch.rand(n, 1, generator=g),
                torch.randn(n, 4, generator=g), (torch.rand(n, 1, generator=g) > 0.1).float())


@gt.case("pt-gh-minimalrl-dqn-target-not-detached-ok")
def _():
    ns = gt.exec_snippet(__file__, {"F": F, "gamma": 0.98, "batch_size": 32})
    q, q_target = Qnet(), Qnet()
    q_target.load_state_dict(q.state_dict())
    q2, qt2 = copy.deepcopy(q), copy.deepcopy(q_target)
    target_before = copy.deepcopy(q_target.state_dict())
    ns["train"](q, q_target, Memory(0), torch.optim.Adam(q.parameters(), lr=0.0005))
    # Reference: the PR's suggestion, the same loop with the target detached.
    opt2 = torch.optim.Adam(q2.parameters(), lr=0.0005)
    mem = Memory(0)
    for i in range(10):
        s, a, r, s_prime, done_mask = mem.sample(32)
        q_a = q2(s).gather(1, a)
        target = (r + 0.98 * qt2(s_prime).max(1)[0].unsqueeze(1) * done_mask).detach()
        loss = F.smooth_l1_loss(q_a, target)
        opt2.zero_grad(); loss.backward(); opt2.step()
    diff = max((p - p2).abs().max().item() for p, p2 in zip(q.parameters(), q2.parameters()))
    moved = max((q_target.state_dict()[k] - v).abs().max().item() for k, v in target_before.items())
    return diff > 1e-12 or moved > 0, f"Q-net after 10 updates, undetached vs detached target: max |diff| {diff:.2g}; target net changed by {moved:.2g}"


gt.main()
