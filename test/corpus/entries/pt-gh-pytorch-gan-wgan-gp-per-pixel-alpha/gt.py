"""Ground truth for pt-gh-pytorch-gan-wgan-gp-per-pixel-alpha: the snippet's compute_gradient_penalty on
MNIST-shaped batches (N, 1, 28, 28) on the CPU. The interpolates it differentiates at are captured (the
critic is wrapped) and, per sample, projected on the line through the real and the fake image: the
distance to the best point of the segment, relative to |real - fake|, is ~0 for WGAN-GP's per-sample
alpha and large for the snippet's per-pixel alpha. The fix (alpha of shape (N, 1, 1, 1)) is the control."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


def off_segment(ns):
    torch.manual_seed(0)
    np.random.seed(0)
    D = ns["Discriminator"]()
    seen = []

    def critic(x):
        seen.append(x.detach().clone())
        return D(x)

    real = torch.rand(8, 1, 28, 28) * 2 - 1
    fake = torch.rand(8, 1, 28, 28) * 2 - 1
    gp = float(ns["compute_gradient_penalty"](critic, real, fake))
    x = seen[0]
    d = (real - fake).view(8, -1)
    r = (x - fake).view(8, -1)
    a = ((r * d).sum(1) / (d * d).sum(1)).clamp(0, 1)
    dist = (r - a[:, None] * d).norm(dim=1) / d.norm(dim=1)
    return gp, float(dist.max())


@gt.case("pt-gh-pytorch-gan-wgan-gp-per-pixel-alpha")
def _():
    names = {"opt": argparse.Namespace(img_size=28), "cuda": False}
    ns = gt.exec_snippet(__file__, names)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    src = open(path, encoding="utf-8").read()
    fixed = src.replace("np.random.random(size=real_samples.shape)", "np.random.random((real_samples.size(0), 1, 1, 1))")
    assert fixed != src
    ns2 = dict(names)
    exec(compile(fixed, path, "exec"), ns2)
    gp, dist = off_segment(ns)
    gp2, dist2 = off_segment(ns2)
    return dist > 0.1 and dist2 < 1e-5, (
        f"max distance of an interpolate from its real-fake segment / |real - fake|: snippet (alpha per pixel) {gt.fmt(dist)}, "
        f"alpha per sample (fix) {gt.fmt(dist2)}; penalties {gt.fmt(gp)} vs {gt.fmt(gp2)}")


gt.main()
