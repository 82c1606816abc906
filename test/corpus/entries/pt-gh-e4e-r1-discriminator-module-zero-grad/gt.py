import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import autograd  # noqa: E402

CASE = "pt-gh-e4e-r1-discriminator-module-zero-grad"


class _LatentCodesDiscriminator(torch.nn.Module):
    """Stand-in for e4e's latent-code discriminator (an MLP on W latents), smaller and in float64."""

    def __init__(self, style_dim, n_mlp):
        super().__init__()
        self.net = gt.mlp(style_dim, 1, width=16)

    def forward(self, w):
        return self.net(w)


_models = types.ModuleType("models")
_models.discriminator = types.SimpleNamespace(LatentCodesDiscriminator=_LatentCodesDiscriminator)
sys.modules["models"] = _models
sys.modules["models.discriminator"] = _models.discriminator


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    coach = object.__new__(ns["Coach"])
    coach.opts = types.SimpleNamespace(d_reg_every=4, r1=10.0)
    coach.device = "cpu"
    coach.global_step = 0
    coach.discriminator = _LatentCodesDiscriminator(8, 4)
    # lr 0: the step leaves the weights, so the gradients of the R1 step can be compared afterwards.
    coach.discriminator_optimizer = torch.optim.SGD(coach.discriminator.parameters(), lr=0.0)
    torch.manual_seed(0)
    real_w, fake_w = torch.randn(6, 8, dtype=torch.float64), torch.randn(6, 8, dtype=torch.float64)
    coach.sample_real_and_fake_latents = lambda x: (real_w.clone(), fake_w.clone())
    coach.train_discriminator((torch.zeros(6, 3, dtype=torch.float64), None))
    got = gt.param_grads(coach.discriminator)
    # Reference: the gradient of the R1 term alone, r1/2 * d_reg_every * E||grad_w D(w)||^2 on the real latents.
    for p in coach.discriminator.parameters():
        p.requires_grad_(True)
    w = real_w.clone().requires_grad_(True)
    g, = autograd.grad(coach.discriminator(w).sum(), w, create_graph=True)
    r1 = 10.0 / 2 * g.pow(2).sum(1).mean() * 4
    want = autograd.grad(r1, list(coach.discriminator.parameters()), allow_unused=True)
    want = [torch.zeros_like(p) if x is None else x for p, x in zip(coach.discriminator.parameters(), want)]
    err = max(gt.rel_err(a, b) for a, b in zip(got, want))
    return err > 1e-8, f"gradients left by the R1 step vs the R1 term's own gradient: rel err {gt.fmt(err)}"


gt.main()
