"""Ground truth for pt-gh-wgan-gp-mnist-flat-penalty-norm (correct look-alike): in gan_mnist.py the
data are flat (BATCH_SIZE, 784) rows and the Discriminator reshapes them itself, so the interpolates
and their gradients are (B, 784) and gradients.norm(2, dim=1) is the per-sample norm. The snippet's
penalty (DIM 16, batch 8) must equal the per-sample WGAN-GP penalty on the same interpolates."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-wgan-gp-mnist-flat-penalty-norm")
def _():
    ns = gt.exec_snippet(__file__, {"DIM": 16, "BATCH_SIZE": 8, "LAMBDA": 10, "use_cuda": False, "gpu": 0})
    torch.manual_seed(0)
    D = ns["Discriminator"]().double()
    g = torch.Generator().manual_seed(1)
    real = torch.rand(8, 784, generator=g, dtype=torch.float64)
    fake = torch.rand(8, 784, generator=g, dtype=torch.float64)
    torch.manual_seed(7)
    penalty = float(ns["calc_gradient_penalty"](D, real, fake))
    torch.manual_seed(7)
    alpha = torch.rand(8, 1).double()
    x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    grads = torch.autograd.grad(D(x).sum(), x)[0]
    true_penalty = float(((grads.reshape(8, -1).norm(2, dim=1) - 1) ** 2).mean() * 10)
    rel = abs(penalty - true_penalty) / max(true_penalty, 1e-12)
    return not rel < 1e-10, f"snippet's penalty {gt.fmt(penalty)} vs per-sample penalty {gt.fmt(true_penalty)} (rel {gt.fmt(rel)}); gradients shape {tuple(grads.shape)}"


gt.main()
