import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torchvision  # noqa: E402

CASE = "pt-blog-saliency-requires-grad-after-transform"


def small_cnn():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, stride=4), torch.nn.Tanh(), torch.nn.AdaptiveAvgPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(16, 10))


@gt.case(CASE)
def _():
    from PIL import Image

    net = small_cnn()
    fake_tv = types.SimpleNamespace(models=types.SimpleNamespace(resnet18=lambda pretrained=True: net))
    rng = np.random.RandomState(0)
    img = Image.fromarray((rng.rand(300, 260, 3) * 255).astype("uint8"))
    real_open = Image.open
    Image.open = lambda path: img
    real_tv = sys.modules["torchvision"]
    try:
        sys.modules["torchvision"] = fake_tv  # the snippet's `import torchvision` picks the stand-in
        fake_tv.transforms = torchvision.transforms
        ns = gt.exec_snippet(__file__)
    finally:
        Image.open = real_open
        sys.modules["torchvision"] = real_tv
    # independent reference: gradient of the predicted class score w.r.t. the same input
    x = ns["input_image"].detach().clone().requires_grad_(True)
    out = net(x)
    k = int(out.argmax(1))
    g, = torch.autograd.grad(out[0, k], x)
    ref = g.abs().max(dim=1)[0].squeeze().numpy()
    err = gt.rel_err(ns["saliency_map"], ref)
    return not (err < 1e-6 and np.abs(ref).max() > 0), f"saliency vs reference rel err {err:.2e}, max {np.abs(ref).max():.3g}"


gt.main()
