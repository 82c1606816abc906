import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-git-normflows-reverse-kld-inplace-log-q"


class GaussianMixture(nn.Module):
    """The base distribution of the repository (GaussianMixture.forward as the fix commit leaves it: sampling
    repaired, log probability still a logsumexp output), two modes."""

    def __init__(self, n_modes=2, dim=2):
        super().__init__()
        self.n_modes, self.dim = n_modes, dim
        self.loc = nn.Parameter(torch.randn(1, n_modes, dim, dtype=torch.float64))
        self.log_scale = nn.Parameter(torch.zeros(1, n_modes, dim, dtype=torch.float64))
        self.weight_scores = nn.Parameter(torch.zeros(1, n_modes, dtype=torch.float64))

    def forward(self, num_samples=1):
        weights = torch.softmax(self.weight_scores, 1)
        mode = torch.multinomial(weights[0, :], num_samples, replacement=True)
        mode_1h = nn.functional.one_hot(mode, self.n_modes)[..., None]
        eps_ = torch.randn(num_samples, self.dim, dtype=self.loc.dtype)
        scale_sample = torch.sum(torch.exp(self.log_scale) * mode_1h, 1)
        loc_sample = torch.sum(self.loc * mode_1h, 1)
        z = eps_ * scale_sample + loc_sample
        eps = (z[:, None, :] - self.loc) / torch.exp(self.log_scale)
        log_p = - 0.5 * self.dim * np.log(2 * np.pi) + torch.log(weights) \
            - 0.5 * torch.sum(torch.pow(eps, 2), 2) - torch.sum(self.log_scale, 2)
        return z, torch.logsumexp(log_p, 1)


class Affine(nn.Module):
    def __init__(self, dim=2):
        super().__init__()
        self.s = nn.Parameter(0.1 * torch.ones(dim, dtype=torch.float64))
        self.t = nn.Parameter(torch.zeros(dim, dtype=torch.float64))

    def forward(self, z):
        return z * torch.exp(self.s) + self.t, torch.sum(self.s).expand(z.shape[0])


class Target:
    def log_prob(self, z):
        return -0.5 * torch.sum(z ** 2, 1)


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    model = ns["NormalizingFlow"](GaussianMixture(), [Affine(), Affine()], Target())
    err = gt.raises(lambda: model.reverse_kld(num_samples=16).backward())
    return err is not None, f"reverse_kld().backward(): {err or 'no error'}"


gt.main()
