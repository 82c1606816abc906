import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

CASE = "pt-gh-grad-cam-guided-backprop-misses-functional-relu"


class FunctionalReluNet(nn.Module):
    """Like Inception v3 in the issue: the ReLUs are F.relu calls in forward, not nn.ReLU modules."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3)
        self.conv2 = nn.Conv2d(4, 4, 3)
        self.fc = nn.Linear(4 * 4 * 4, 5)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        return self.fc(x.flatten(1))


def saliency(cls, model, image):
    prop = cls(model)
    prop.forward(image)
    prop.backward(idx=prop.idx[0])
    return torch.from_numpy(prop.generate().copy())


def guided_reference(model, image, idx):
    """Guided backpropagation itself: ReLU backward passes only positive gradients where the input was positive."""

    class GuidedRelu(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g.clamp(min=0) * (x > 0).to(g.dtype)

    x = image.detach().clone().requires_grad_(True)
    h = GuidedRelu.apply(model.conv1(x))
    h = GuidedRelu.apply(model.conv2(h))
    model.fc(h.flatten(1))[0, idx].backward()
    return x.grad[0].permute(1, 2, 0)


@gt.case(CASE)
def _():
    sys.modules["cv2"] = types.SimpleNamespace()  # OpenCV is not installed here; only the image-saving helpers use it
    ns = gt.exec_snippet(__file__, {})
    def net():
        torch.manual_seed(1)
        return FunctionalReluNet()

    torch.manual_seed(0)
    image = torch.randn(1, 3, 8, 8, requires_grad=True)
    vanilla = saliency(ns["BackPropagation"], net(), image)
    image.grad = None
    model = net()
    guided = saliency(ns["GuidedBackPropagation"], model, image)
    ref = guided_reference(model, image, int(torch.softmax(model(image), 1)[0].argmax()))
    same_as_vanilla = gt.rel_err(guided, vanilla)
    off_guided = gt.rel_err(guided, ref)
    return off_guided > 1e-3, f"'guided' map vs vanilla backprop: rel. diff {gt.fmt(same_as_vanilla)}; vs guided backprop: rel. error {gt.fmt(off_guided)}"


gt.main()
