import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


def bce_gan(pred, target_is_real):
    target = torch.ones_like(pred) if target_is_real else torch.zeros_like(pred)
    return nn.functional.binary_cross_entropy_with_logits(pred, target)


@gt.case("pt-gh-basicsr-ragan-detached-feature-target")
def _():
    # The snippet's optimize_parameters on a stand-in model object (small networks; the pixel and feature losses on,
    # the vanilla GAN loss, no gradient penalty).
    ns = gt.exec_snippet(__file__, {"BaseModel": object})
    torch.manual_seed(0)
    m = object.__new__(ns["SRRaGANModel"])
    m.netG = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 4))
    m.netD = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
    m.netF = nn.Linear(4, 6)
    m.var_L, m.var_H = torch.randn(8, 4), torch.randn(8, 4)
    m.var_ref = m.var_H
    m.optimizer_G = torch.optim.SGD(m.netG.parameters(), lr=0.1)
    m.optimizer_D = torch.optim.SGD(m.netD.parameters(), lr=0.1)
    m.D_update_ratio, m.D_init_iters = 1, 0
    m.cri_pix, m.l_pix_w = nn.L1Loss(), 1.0
    m.cri_fea, m.l_fea_w = nn.L1Loss(), 1.0
    m.cri_gan, m.l_gan_w = bce_gan, 0.005
    m.opt = {"train": {"gan_type": "ragan"}}
    m.log_dict = {}
    g0 = [p.detach().clone() for p in m.netG.parameters()]
    d0 = [p.detach().clone() for p in m.netD.parameters()]
    try:
        m.optimize_parameters(1)
    except (AttributeError, KeyError):
        pass  # the logging after the steps reads attributes of the full model
    dg = max(float((p.detach() - q).abs().max()) for p, q in zip(m.netG.parameters(), g0))
    dd = max(float((p.detach() - q).abs().max()) for p, q in zip(m.netD.parameters(), d0))
    return dg == 0.0 or dd == 0.0, f"largest change of G {gt.fmt(dg)}, of D {gt.fmt(dd)}"


gt.main()
