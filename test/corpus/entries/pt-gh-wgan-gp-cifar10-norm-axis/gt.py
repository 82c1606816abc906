"""Ground truth for pt-gh-wgan-gp-cifar10-norm-axis: the snippet's calc_gradient_penalty (gan_cifar10.py
before the maintainer's fix) with its own Discriminator on 3 x 32 x 32 images (DIM reduced to 16,
batch 8). The script is Python 2: `real_data.nelement()/BATCH_SIZE` is run as integer division
(`//`), the only change to its text. gradients is (B, 3, 32, 32), so norm(2, dim=1) runs over the
3 colour channels, one norm per pixel. Compared with the per-sample penalty on the same
interpolates."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-wgan-gp-cifar10-norm-axis")
def _():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    source = open(path, encoding="utf-8").read().replace("nelement()/BATCH_SIZE", "nelement()//BATCH_SIZE")
    ns = {"DIM": 16, "BATCH_SIZE": 8, "LAMBDA": 10, "use_cuda": False, "gpu": 0}
    exec(compile(source, path, "exec"), ns)
    torch.manual_seed(0)
    D = ns["Discriminator"]()
    g = torch.Generator().manual_seed(1)
    real, fake = torch.rand(8, 3, 32, 32, generator=g) * 2 - 1, torch.rand(8, 3, 32, 32, generator=g) * 2 - 1
    torch.manual_seed(7)
    penalty = float(ns["calc_gradient_penalty"](D, real, fake))
    torch.manual_seed(7)
    alpha = torch.rand(8, 1).expand(8, 3072).contiguous().view(8, 3, 32, 32)
    x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    grads = torch.autograd.grad(D(x).sum(), x)[0]
    true_penalty = float(((grads.reshape(8, -1).norm(2, dim=1) - 1) ** 2).mean() * 10)
    rel = abs(penalty - true_penalty) / max(true_penalty, 1e-12)
    return rel > 0.01, (f"snippet's penalty {gt.fmt(penalty)} (norm(dim=1) shape {tuple(grads.norm(2, dim=1).shape)}) "
                        f"vs per-sample penalty {gt.fmt(true_penalty)}")


gt.main()
