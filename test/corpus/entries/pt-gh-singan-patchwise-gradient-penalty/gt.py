import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-singan-patchwise-gradient-penalty"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    # a fully convolutional patch discriminator, as SinGAN's WDiscriminator: one score per patch (pixel)
    netD = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.LeakyReLU(0.2),
                               torch.nn.Conv2d(8, 1, 3, padding=1)).double()
    real = torch.randn(1, 3, 12, 12, dtype=torch.float64)
    fake = torch.randn(1, 3, 12, 12, dtype=torch.float64)
    torch.manual_seed(1)
    gp = ns["calc_gradient_penalty"](netD, real, fake, 0.1, "cpu")
    weights = [p for p in netD.parameters() if p.dim() > 1]  # biases do not enter an input gradient
    grads = torch.autograd.grad(gp, weights, allow_unused=True)
    trains_d = all(g is not None and float(g.abs().sum()) > 0 for g in grads)
    # the intended quantity: per pixel (patch), the norm over channels of d(sum of patch scores)/dx
    torch.manual_seed(1)
    alpha = torch.rand(1, 1).expand(real.size()).double()
    x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    g = torch.autograd.grad(netD(x).sum(), x)[0]
    expected = ((g.pow(2).sum(dim=1).sqrt() - 1) ** 2).mean() * 0.1
    err = abs(float(gp) - float(expected)) / abs(float(expected))
    ok = trains_d and err < 1e-9
    return not ok, f"penalty reaches every D weight: {trains_d}; relative difference to the per-patch penalty {err:.2g}"


gt.main()
