import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-singan-generator-steps-reuse-fake"


def calc_gradient_penalty(netD, real_data, fake_data, LAMBDA):
    """SinGAN's functions.calc_gradient_penalty (WGAN-GP), without the device moves."""
    alpha = torch.rand(1, 1)
    alpha = alpha.expand(real_data.size())
    interpolates = alpha * real_data + ((1 - alpha) * fake_data)
    interpolates = torch.autograd.Variable(interpolates, requires_grad=True)
    disc_interpolates = netD(interpolates)
    gradients = torch.autograd.grad(outputs=disc_interpolates, inputs=interpolates,
                                    grad_outputs=torch.ones(disc_interpolates.size()),
                                    create_graph=True, retain_graph=True, only_inputs=True)[0]
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean() * LAMBDA


class G(nn.Module):
    """Two convolutions, called like SinGAN's generator: G(noise, prev) = prev + body(noise)."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.LeakyReLU(0.2), nn.Conv2d(8, 3, 3, padding=1))

    def forward(self, noise, prev):
        return prev + self.body(noise)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    netG = G()
    netD = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.LeakyReLU(0.2), nn.Conv2d(8, 1, 3, padding=1))
    real = torch.rand(1, 3, 8, 8)
    errD_real = -netD(real).mean()
    names = {
        "opt": SimpleNamespace(Dsteps=3, Gsteps=3, lambda_grad=0.1), "netG": netG, "netD": netD,
        "noise": torch.randn(1, 3, 8, 8), "prev": torch.zeros(1, 3, 8, 8), "real": real,
        "functions": SimpleNamespace(calc_gradient_penalty=calc_gradient_penalty), "errD_real": errD_real.detach(),
        "optimizerD": torch.optim.Adam(netD.parameters(), lr=5e-4), "optimizerG": torch.optim.Adam(netG.parameters(), lr=5e-4),
        "errD2plot": [], "alpha": 0, "z_opt": torch.zeros(1, 3, 8, 8), "torch": torch,
    }
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    return err is not None and "inplace" in err, f"the D then G steps raised {err}"


gt.main()
