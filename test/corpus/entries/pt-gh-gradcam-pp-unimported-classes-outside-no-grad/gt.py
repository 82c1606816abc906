"""Ground truth for pt-gh-gradcam-pp-unimported-classes-outside-no-grad: the snippet builds gradcam_plus_plus-pytorch's
GradCAM objects for an eval-mode model. The library is not installed here; the stand-in follows its forward: hooks
on the named layer keep the activations and the gradients, score.backward() of the top logit fills them. Run with
recording on, as in the snippet, on a small CNN put in eval mode: the map is computed and not all zero."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-gradcam-pp-unimported-classes-outside-no-grad"


class GradCAM:
    def __init__(self, model_dict, verbose=False):
        self.model_arch = model_dict["arch"]
        self.gradients, self.activations = {}, {}
        layer = getattr(self.model_arch, model_dict["layer_name"])
        layer.register_forward_hook(lambda m, i, o: self.activations.__setitem__("value", o))
        layer.register_full_backward_hook(lambda m, gi, go: self.gradients.__setitem__("value", go[0]))

    def __call__(self, x):
        logit = self.model_arch(x)
        score = logit[:, logit.max(1)[-1]].squeeze()
        self.model_arch.zero_grad()
        score.backward()
        weights = self.gradients["value"].mean((2, 3), keepdim=True)
        return F.relu((weights * self.activations["value"]).sum(1, keepdim=True))


class GradCAMpp(GradCAM):
    pass


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer4 = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(4, 5)

    def forward(self, x):
        return self.fc(self.layer4(x).mean((2, 3)))


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"model": Small(), "GradCAM": GradCAM, "GradCAMpp": GradCAMpp})
    image = torch.rand(1, 3, 8, 8)
    maps = []
    err = gt.raises(lambda: maps.extend([ns["resnet_gradcam"](image), ns["resnet_gradcampp"](image)]))
    ok = err is None and all(float(m.abs().sum()) > 0 for m in maps)
    return not ok, f"error: {err or 'none'}; map sums {[gt.fmt(float(m.sum())) for m in maps]}"


gt.main()
