import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-pix2pix-wgangp-penalty-fake-not-detached"


def cal_gradient_penalty(netD, real_data, fake_data, device, type='mixed', constant=1.0, lambda_gp=10.0):
    """pix2pix's networks.cal_gradient_penalty (mixed type), as in the repository."""
    alpha = torch.rand(real_data.shape[0], 1, device=device)
    alpha = alpha.expand(real_data.shape[0], real_data.nelement() // real_data.shape[0]).contiguous().view(*real_data.shape)
    interpolatesv = alpha * real_data + ((1 - alpha) * fake_data)
    interpolatesv.requires_grad_(True)
    disc_interpolates = netD(interpolatesv)
    gradients = torch.autograd.grad(outputs=disc_interpolates, inputs=interpolatesv,
                                    grad_outputs=torch.ones(disc_interpolates.size()).to(device),
                                    create_graph=True, retain_graph=True, only_inputs=True)
    gradients = gradients[0].view(real_data.size(0), -1)
    gradient_penalty = (((gradients + 1e-16).norm(2, dim=1) - constant) ** 2).mean() * lambda_gp
    return gradient_penalty, gradients


def criterion_wgangp(prediction, target_is_real, soft_label=False):
    return -prediction.mean() if target_is_real else prediction.mean()


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "networks": SimpleNamespace(cal_gradient_penalty=cal_gradient_penalty)})
    netG = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.Tanh(), nn.Conv2d(4, 1, 3, padding=1))
    netD = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.LeakyReLU(0.2), nn.Conv2d(4, 1, 3, padding=1))
    real_A, real_B = torch.rand(2, 1, 6, 6), torch.rand(2, 1, 6, 6)
    model = SimpleNamespace(real_A=real_A, real_B=real_B, fake_B=netG(real_A), netD=netD, criterionGAN=criterion_wgangp,
                            using_soft_label=False, device="cpu", L_GP=10.0)
    opt_D = torch.optim.Adam(netD.parameters(), lr=1e-4)
    steps = []

    def d_updates(n):  # the commenter's "updating D multiple times before updating G", on one forward()
        for _ in range(n):
            opt_D.zero_grad()
            ns["backward_D"](model)
            opt_D.step()
            steps.append(float(model.loss_D))
    err = gt.raises(lambda: d_updates(2))
    g_touched = any(p.grad is not None for p in netG.parameters())
    return err is not None and "second time" in err, (
        f"{len(steps)} D update(s) done, then raised {err}; the penalty also wrote into the generator's .grad: {g_touched}")


gt.main()
