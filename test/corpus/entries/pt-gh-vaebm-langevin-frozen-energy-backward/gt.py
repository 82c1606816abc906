import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-vaebm-langevin-frozen-energy-backward"
B = 4


class Out:
    def __init__(self, logits, log):
        self.logits, self.log = logits, log
        self.dist = SimpleNamespace(mu=logits)

    def sample(self, eps):
        self.log["eps_x"] = eps.detach().clone()
        return self.logits + 0.5 * eps

    def log_prob(self, x):
        return -0.5 * ((x - self.logits) / 0.5) ** 2


class TinyVAE(torch.nn.Module):
    """Stand-in for NVAE: a latent eps_z decoded linearly to a 3x2x2 image, with a Gaussian decoder."""

    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(4, 12)
        self.log = {}

    def sample(self, batch_size, t, eps_z):
        self.log.setdefault("first_eps_z", eps_z[0].detach().clone())
        self.log["eps_z"] = eps_z[0].detach().clone()
        logits = self.lin(eps_z[0]).view(batch_size, 3, 2, 2)
        return logits, None, -0.5 * (eps_z[0] ** 2).sum(1)

    def decoder_output(self, logits):
        return Out(logits, self.log)


class TinyEBM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)

    def spectral_norm_parallel(self):
        return torch.zeros(())


@gt.case(CASE)
def _():
    # The quoted train() runs unchanged for one batch on the CPU (.cuda() made the identity) with a tiny
    # decoder standing in for NVAE and a tiny energy network; no replay buffer.
    ns = gt.exec_snippet(__file__)
    cuda = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self
    try:
        torch.manual_seed(0)
        model, vae = TinyEBM(), TinyVAE()
        opt = SimpleNamespace(step_size=0.05, num_steps=3, renormalize=False, batch_size=B, use_mu_cd=False,
                              alpha_s=0.0, max_p=0.6, anneal_step=100)
        image = torch.rand(B, 3, 2, 2)
        ns["train"](model, vae, None, None, 1.0, [[image, torch.zeros(B)]], [torch.zeros(B, 4)], None, 0, opt, "")
    finally:
        torch.Tensor.cuda = cuda
    got = [p.grad.clone() for p in model.parameters()]
    moved = float((vae.log["eps_z"] - vae.log["first_eps_z"]).abs().max())

    # Reference: the contrastive loss's gradient at the samples Langevin ended on, for the energy's weights only.
    model.zero_grad()
    with torch.no_grad():
        neg_x = vae.lin(vae.log["eps_z"]).view(B, 3, 2, 2) + 0.5 * vae.log["eps_x"]
    loss = model(image).mean() - model(neg_x).mean()
    want = torch.autograd.grad(loss, list(model.parameters()))
    err = max(gt.rel_err(a, b) for a, b in zip(got, want))
    vae_grads = [p.grad for p in vae.parameters() if p.grad is not None]
    bad = err > 1e-5 or moved == 0.0 or len(vae_grads) > 0
    return bad, (f"Langevin moved eps_z by up to {moved:.3g}; energy weights' gradient vs the contrastive loss's: "
                 f"rel. error {err:.2g}; VAE weights with a gradient: {len(vae_grads)}")


gt.main()
