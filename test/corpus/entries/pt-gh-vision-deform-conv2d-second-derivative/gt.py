"""Ground truth for pt-gh-vision-deform-conv2d-second-derivative: the issue's snippet on the CPU (no .cuda()), with
out2 where the snippet's second grad names `out` (never bound: the issue's typo). The normal convolution's loss on
its create_graph gradient back-propagates; the deformable convolution's raises."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.autograd as autograd  # noqa: E402
import torch.nn as nn  # noqa: E402
from torchvision.ops import DeformConv2d  # noqa: E402


@gt.case("pt-gh-vision-deform-conv2d-second-derivative")
def _():
    torch.manual_seed(0)
    normal_conv = nn.Conv2d(3, 5, 3, 1, 1)
    deform_conv = DeformConv2d(3, 5, 3, 1, 1)
    input = torch.rand(1, 3, 10, 10, requires_grad=True)
    offset = torch.rand(1, 2 * 1 * 3 * 3, 10, 10, requires_grad=True)

    def normal():
        out1 = normal_conv(input)
        grad = autograd.grad(out1.sum(), input, create_graph=True)
        loss = sum(g.sum() for g in grad)
        loss.backward()

    def deform():
        out2 = deform_conv(input, offset)
        grad = autograd.grad(out2.sum(), [input, offset], create_graph=True)
        loss = sum(g.sum() for g in grad)
        loss.backward()

    control = gt.raises(normal)
    err = gt.raises(deform)
    return err is not None and "double backwards on deform_conv2d" in err and control is None, f"deform: {err}; normal conv: {control or 'ran'}"


gt.main()
