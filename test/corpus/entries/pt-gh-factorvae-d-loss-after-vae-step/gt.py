import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-factorvae-d-loss-after-vae-step"


# as in the repository's ops.py (size_average=False written as reduction='sum')
def recon_loss(x, x_recon):
    n = x.size(0)
    return F.binary_cross_entropy_with_logits(x_recon, x, reduction="sum").div(n)


def kl_divergence(mu, logvar):
    return -0.5*(1+logvar-mu**2-logvar.exp()).sum(1).mean()


def permute_dims(z):
    B, _ = z.size()
    return torch.cat([z_j[torch.randperm(B)] for z_j in z.split(1, 1)], 1)


class VAE(torch.nn.Module):
    """A small fully connected VAE (two-layer encoder, like the repository's conv stack) with the
    repository model's call signature."""

    def __init__(self, d=8, z_dim=2):
        super().__init__()
        self.enc = torch.nn.Sequential(torch.nn.Linear(d, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2 * z_dim))
        self.dec = torch.nn.Linear(z_dim, d)
        self.z_dim = z_dim

    def forward(self, x, no_dec=False):
        stats = self.enc(x)
        mu, logvar = stats[:, :self.z_dim], stats[:, self.z_dim:]
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        if no_dec:
            return z.squeeze()
        return self.dec(z), mu, logvar, z.squeeze()


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "F": F, "recon_loss": recon_loss,
                                    "kl_divergence": kl_divergence, "permute_dims": permute_dims})
    vae = VAE()
    D = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.LeakyReLU(0.2), torch.nn.Linear(16, 2))
    data = [(torch.rand(4, 8), torch.rand(4, 8)) for _ in range(3)]
    solver = SimpleNamespace(
        net_mode=lambda train: None, batch_size=4, device="cpu", global_iter=0, max_iter=3,
        pbar=SimpleNamespace(update=lambda n: None), data_loader=data, VAE=vae, D=D, gamma=6.4,
        optim_VAE=torch.optim.Adam(vae.parameters(), lr=1e-4), optim_D=torch.optim.Adam(D.parameters(), lr=1e-4))
    err = gt.raises(lambda: ns["train"](solver))
    return err is not None and "inplace" in err, f"train() raised {err}"


gt.main()
