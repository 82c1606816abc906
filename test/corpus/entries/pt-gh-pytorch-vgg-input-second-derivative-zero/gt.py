"""Ground truth for pt-gh-pytorch-vgg-input-second-derivative-zero: the snippet's lines run on the
CPU (the text with '.cuda()' removed, no GPU here) with vgg16_withoutfc replaced by a small
ReLU convolution of the same output size (1 x 802816: 64 channels at 112 x 112, flattened), as in
VGG16's feature layers. The second derivative with respect to the input is exactly zero: a ReLU
network is piecewise linear in its input. Control: the same layers with Softplus."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def features(act):
    def make():
        torch.manual_seed(0)
        return nn.Sequential(nn.Conv2d(3, 64, 3, stride=2, padding=1), act(), nn.Flatten())
    return make


def run(act):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    source = open(path, encoding="utf-8").read().replace(".cuda()", "")
    ns = {"vgg16_withoutfc": features(act)}
    exec(compile(source, path, "exec"), ns)
    return ns


@gt.case("pt-gh-pytorch-vgg-input-second-derivative-zero")
def _():
    relu = run(nn.ReLU)
    smooth = run(nn.Softplus)
    relu_max = float(relu["y"].abs().max())
    smooth_max = float(smooth["y"].abs().max())
    jac_max = float(relu["jacob"].abs().max())
    return relu_max == 0.0 and jac_max > 0, (
        f"ReLU features: first derivative max |.| {gt.fmt(jac_max)}, second derivative max |.| "
        f"{gt.fmt(relu_max)}; Softplus control: second derivative max |.| {gt.fmt(smooth_max)}"
    )


gt.main()
