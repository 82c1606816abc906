"""Ground truth for pt-repo-skrl-amp-style-reward-no-grad-penalty-outside: the snippet's lines with a small
discriminator (an MLP standing for `self.discriminator.act`): a style reward under torch.no_grad(), then the motion
logits and their input-gradient penalty with recording on. The penalty must have a graph and move the discriminator's
parameters."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-skrl-amp-style-reward-no-grad-penalty-outside"


@gt.case(CASE)
def _():
    disc = gt.mlp(6, 1, dtype=torch.float32)
    amp_observations = torch.rand(16, 6)
    rewards = torch.rand(16, 1)
    with torch.no_grad():
        amp_logits = disc(amp_observations)
        style_reward = -torch.log(torch.maximum(1 - 1 / (1 + torch.exp(-amp_logits)), torch.tensor(0.0001))).view(rewards.shape)
    combined = rewards + style_reward
    motion = torch.rand(16, 6)
    motion.requires_grad_(True)
    motion_logits = disc(motion)
    g = torch.autograd.grad(motion_logits, motion, grad_outputs=torch.ones_like(motion_logits), create_graph=True, retain_graph=True, only_inputs=True)
    penalty = torch.sum(torch.square(g[0]), dim=-1).mean()
    err = gt.raises(lambda: penalty.backward())
    gnorm = sum(float(p.grad.abs().sum()) for p in disc.parameters() if p.grad is not None)
    return err is not None or gnorm == 0.0 or combined.requires_grad, f"penalty {gt.fmt(float(penalty))}, backward: {err or 'ran'}, |grad of the discriminator| {gt.fmt(gnorm)}"


gt.main()
