"""Ground truth for pt-gh-pytorch-wgan-penalty-norm-per-pixel: the snippet's
WGAN_GP.calculate_gradient_penalty (before the 'calculate norm batchwise' fix) with its own
Discriminator on 1 x 32 x 32 images. gradients has shape (B, 1, 32, 32), so norm(2, dim=1) is the
absolute value of each pixel's derivative. Compared with the per-sample WGAN-GP penalty on the same
interpolates (same torch draw of eta)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-wgan-penalty-norm-per-pixel")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    D = ns["Discriminator"](1)
    model = ns["WGAN_GP"].__new__(ns["WGAN_GP"])
    model.D, model.batch_size, model.cuda, model.lambda_term = D, 8, False, 10
    g = torch.Generator().manual_seed(1)
    real, fake = torch.rand(8, 1, 32, 32, generator=g) * 2 - 1, torch.rand(8, 1, 32, 32, generator=g) * 2 - 1
    torch.manual_seed(5)
    penalty = float(model.calculate_gradient_penalty(real, fake))
    torch.manual_seed(5)
    eta = torch.FloatTensor(8, 1, 1, 1).uniform_(0, 1)
    x = (eta * real + (1 - eta) * fake).requires_grad_(True)
    grads = torch.autograd.grad(D(x).sum(), x)[0]
    per_sample = grads.view(8, -1).norm(2, dim=1)
    true_penalty = float(((per_sample - 1) ** 2).mean() * 10)
    rel = abs(penalty - true_penalty) / max(true_penalty, 1e-12)
    return rel > 0.01, (f"snippet's penalty {gt.fmt(penalty)} vs per-sample WGAN-GP penalty {gt.fmt(true_penalty)} "
                        f"(per-sample gradient norms ~{gt.fmt(float(per_sample.mean()))}, per-pixel ~"
                        f"{gt.fmt(float(grads.abs().mean()))})")


gt.main()
