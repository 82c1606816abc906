import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-gh-grad-cam-guided-backprop-input-grad-accumulates"


def _resize(a, size):  # stands in for cv2.resize (OpenCV is not installed here); only the CAM image uses it
    t = torch.as_tensor(np.ascontiguousarray(a))[None, None].float()
    return torch.nn.functional.interpolate(t, size=(size[1], size[0]), mode="bilinear", align_corners=False)[0, 0].numpy()


class SmallNet(nn.Module):
    """A small CNN with ResNet's module layout (conv, relu, layer4 of three blocks, avgpool, fc)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.relu = nn.ReLU()
        self.layer4 = nn.Sequential(*[nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), nn.ReLU()) for _ in range(3)])
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(4, 5)

    def forward(self, x):
        x = self.layer4(self.relu(self.conv1(x)))
        return self.fc(self.avgpool(x).view(x.size(0), -1))


@gt.case(CASE)
def _():
    sys.modules["cv2"] = types.SimpleNamespace(resize=_resize)
    from torchvision import models  # noqa: F401  (the snippet imports it; the pretrained ResNet is replaced below)

    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    model = SmallNet()
    img = np.random.RandomState(0).rand(8, 8, 3).astype(np.float32)

    # The script's __main__ sequence: Grad-CAM on `input`, then guided backprop on the same `input`.
    grad_cam = ns["GradCam"](model=model, feature_module=model.layer4, target_layer_names=["2"], use_cuda=False)
    input = ns["preprocess_image"](img)
    grad_cam(input, None)
    gb_model = ns["GuidedBackpropReLUModel"](model=model, use_cuda=False)
    gb = gb_model(input, index=None)

    # Reference: the guided-backprop gradient alone, on a fresh leaf holding the same image.
    x = input.detach().clone().requires_grad_(True)
    out = gb_model.forward(x)
    index = int(np.argmax(out.detach().numpy()))
    out[0, index].backward()
    ref = x.grad[0]
    err = gt.rel_err(torch.from_numpy(gb), ref)
    return err > 1e-4, f"guided-backprop map vs guided backprop alone: rel. error {gt.fmt(err)}"


gt.main()
