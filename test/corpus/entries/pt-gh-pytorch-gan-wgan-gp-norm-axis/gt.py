"""Ground truth for pt-gh-pytorch-gan-wgan-gp-norm-axis: the snippet's compute_gradient_penalty (before
the fix of issue #20) on its own Discriminator with 1 x 28 x 28 images. `gradients` has shape
(B, 1, 28, 28), so gradients.norm(2, dim=1) is a per-pixel absolute value, not the per-sample
gradient norm of the WGAN-GP penalty. Compared with the per-sample penalty on the same interpolates
(same NumPy draw of alpha)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-gan-wgan-gp-norm-axis")
def _():
    ns = gt.exec_snippet(__file__, {"img_shape": (1, 28, 28), "cuda": False})
    torch.manual_seed(0)
    D = ns["Discriminator"]()
    g = torch.Generator().manual_seed(1)
    real, fake = torch.rand(16, 1, 28, 28, generator=g) * 2 - 1, torch.rand(16, 1, 28, 28, generator=g) * 2 - 1
    np.random.seed(0)
    penalty = float(ns["compute_gradient_penalty"](D, real, fake))
    np.random.seed(0)
    alpha = torch.tensor(np.random.random((16, 1, 1, 1)), dtype=torch.float32)
    x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    grads = torch.autograd.grad(D(x).sum(), x)[0]
    per_sample = grads.view(16, -1).norm(2, dim=1)
    true_penalty = float(((per_sample - 1) ** 2).mean())
    rel = abs(penalty - true_penalty) / max(true_penalty, 1e-12)
    return rel > 0.01, (f"snippet's penalty {gt.fmt(penalty)} vs per-sample WGAN-GP penalty {gt.fmt(true_penalty)} "
                        f"(per-sample gradient norms ~{gt.fmt(float(per_sample.mean()))}); norm(dim=1) has shape "
                        f"{tuple(grads.norm(2, dim=1).shape)}")


gt.main()
