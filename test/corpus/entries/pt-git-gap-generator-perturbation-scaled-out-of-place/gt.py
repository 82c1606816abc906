import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-gap-generator-perturbation-scaled-out-of-place"


@gt.case(CASE)
def _():
    opt = types.SimpleNamespace(gpu_ids="0", mag_in=10.0, foolmodel="vgg16", batchSize=2, testBatchSize=2)
    saved = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self  # no GPU here; the device copy of a constant does not matter
    try:
        ns = gt.exec_snippet(__file__, {"opt": opt})
        torch.manual_seed(0)
        w = torch.randn(2, 3, 4, 4, dtype=torch.float64, requires_grad=True)  # stands for the generator's weights
        delta = torch.tanh(w)  # the generator's output in [-1, 1], a non-leaf as in train()
        out = ns["normalize_and_scale"](delta, "train")
        r = torch.randn_like(out)
        (g,) = torch.autograd.grad((out * r).sum(), w)
    finally:
        torch.Tensor.cuda = saved

    # Reference: d out / d delta = 0.5 / std_c * s_ic, with the per-image, per-channel l_inf factor s_ic a constant.
    mean = np.array(ns["mean_arr"]).reshape(1, 3, 1, 1)
    std = np.array(ns["stddev_arr"]).reshape(1, 3, 1, 1)
    d = np.tanh(w.detach().numpy())
    normed = (d + 1) * 0.5
    normed = (normed - mean) / std
    linf = np.abs(normed).max(axis=(2, 3), keepdims=True)
    s = np.minimum(1.0, (10.0 / (255.0 * std)) / linf)
    ref = r.detach().numpy() * 0.5 / std * s * (1 - d ** 2)
    err = gt.rel_err(g, ref)
    return err > 1e-6, f"generator gradient vs the gradient of the scaled perturbation: rel. error {gt.fmt(err)}; smallest factor 0.5/std*s = {gt.fmt(float((0.5 / std * s).min()))}"


gt.main()
