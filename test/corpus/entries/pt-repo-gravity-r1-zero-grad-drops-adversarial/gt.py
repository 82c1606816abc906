import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-repo-gravity-r1-zero-grad-drops-adversarial"


@gt.case(CASE)
def _():
    torch.set_default_dtype(torch.float64)  # the snippet draws its noise with torch.randn
    torch.manual_seed(0)
    netD, netG = gt.mlp(3, 1), gt.mlp(2, 3)
    lr = 0.1
    self = types.SimpleNamespace(netD=netD, netG=netG, batch_size=8, z_dim=2, device="cpu",
                                 opt_dis=torch.optim.SGD(netD.parameters(), lr=lr))

    def set_flag(net, flag):
        for p in net.parameters():
            p.requires_grad_(flag)
    self._set_grad_flag = set_flag
    ns = gt.exec_snippet(__file__, {"torch": torch, "F": F})
    real = torch.randn(8, 3)
    noise_state = torch.get_rng_state()

    # expected gradients, computed apart on copies of the same data and noise
    before = [p.detach().clone() for p in netD.parameters()]
    torch.set_rng_state(noise_state)
    noise = torch.randn(8, 2)
    r = real.clone().requires_grad_(True)
    with torch.no_grad():
        fake = netG(noise)
    adv = F.softplus(-netD(r)).mean() + F.softplus(netD(fake)).mean()
    g_adv = torch.autograd.grad(adv, list(netD.parameters()), retain_graph=True)
    dr = F.softplus(-netD(r)).mean()
    g = torch.autograd.grad(dr.sum(), r, create_graph=True)[0]
    pen = 10 / 2 * (g.view(8, -1).norm(2, dim=1) ** 2).mean()
    g_r1 = torch.autograd.grad(pen, list(netD.parameters()))

    torch.set_rng_state(noise_state)
    ns["_train_discriminator_r1"](self, real, 0)
    step = [b - p.detach() for b, p in zip(before, netD.parameters())]
    err_r1 = max(gt.rel_err(s, lr * a) for s, a in zip(step, g_r1))
    err_full = max(gt.rel_err(s, lr * (a + b)) for s, a, b in zip(step, g_r1, g_adv))
    return err_r1 < 1e-8 and err_full > 1e-2, f"update vs R1-only: rel err {err_r1:.2e}; vs adversarial+R1: {err_full:.2e}"


gt.main()
