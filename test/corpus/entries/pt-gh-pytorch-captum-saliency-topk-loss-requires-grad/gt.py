import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-captum-saliency-topk-loss-requires-grad"


class Saliency:
    """What captum.attr.Saliency.attribute computes (abs=True): |d logit_target / d input|, without create_graph."""

    def __init__(self, forward_func):
        self.forward_func = forward_func

    def attribute(self, inputs, target=None):
        out = self.forward_func(inputs)[:, target].sum()
        return torch.autograd.grad(out, inputs)[0].abs()


@gt.case(CASE)
def _():
    # captum is not installed and the hub model cannot be downloaded here: a module exposing Saliency as above
    # and a small CNN stand in; every quoted line runs unchanged.
    captum, attr = types.ModuleType("captum"), types.ModuleType("captum.attr")
    attr.Saliency = Saliency
    captum.attr = attr
    sys.modules.setdefault("captum", captum)
    sys.modules.setdefault("captum.attr", attr)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 5, stride=4), torch.nn.Tanh(), torch.nn.AdaptiveAvgPool2d(1),
                              torch.nn.Flatten(), torch.nn.Linear(4, 10))
    hub = types.SimpleNamespace(load=lambda *a, **k: net)
    real_hub = torch.hub
    torch.hub = hub
    try:
        err = gt.raises(lambda: gt.exec_snippet(__file__, {"X": torch.rand(3, 227, 227), "y": 3}))
    finally:
        torch.hub = real_hub
    return err is not None, f"quoted code: {err or 'no error'}"


gt.main()
