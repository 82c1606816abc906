"""Ground truth for pt-repo-pytorch-gan-wgan-gp-norm-over-channel: the snippet's compute_gradient_penalty
on MNIST-shaped batches (N, 1, 28, 28), CPU, with a critic whose weights are scaled up so that its input
gradients are not ~0. The gradient it takes is captured (autograd.grad is wrapped) and the penalty is
recomputed with the per-sample norm of WGAN-GP; the interpolates are checked to lie on their real-fake
segments (the per-sample alpha of the fix)."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-pytorch-gan-wgan-gp-norm-over-channel")
def _():
    ns = gt.exec_snippet(__file__, {"opt": argparse.Namespace(img_size=28), "cuda": False})
    torch.manual_seed(0)
    np.random.seed(0)
    D = ns["Discriminator"]()
    with torch.no_grad():
        for p in D.parameters():
            p.mul_(3.0)
    seen, grads = [], []
    real_grad = ns["autograd"].grad

    def grad(*a, **k):
        out = real_grad(*a, **k)
        grads.append(out[0].detach().clone())
        return out

    ns["autograd"].grad = grad

    def critic(x):
        seen.append(x.detach().clone())
        return D(x)

    try:
        real = torch.rand(8, 1, 28, 28) * 2 - 1
        fake = torch.rand(8, 1, 28, 28) * 2 - 1
        gp = float(ns["compute_gradient_penalty"](critic, real, fake))
    finally:
        ns["autograd"].grad = real_grad
    d = (real - fake).view(8, -1)
    r = (seen[0] - fake).view(8, -1)
    a = ((r * d).sum(1) / (d * d).sum(1)).clamp(0, 1)
    dist = float(((r - a[:, None] * d).norm(dim=1) / d.norm(dim=1)).max())
    g = grads[0]
    per_sample = float(10 * ((g.view(8, -1).norm(2, dim=1) - 1) ** 2).mean())
    return dist < 1e-5 and abs(gp - per_sample) > 1e-3 * max(abs(per_sample), 1.0), (
        f"gradient shape {tuple(g.shape)}: snippet's penalty (norm over dim=1) {gt.fmt(gp)} vs per-sample norm {gt.fmt(per_sample)}; "
        f"interpolates on their segments (max distance {gt.fmt(dist)})")


gt.main()
