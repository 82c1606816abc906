"""Ground truth for pt-gh-captum-saliency-input-without-requires-grad: the snippet's Net and sal run with a stand-in for
captum.attr.Saliency (Captum is not installed here) that takes Captum's steps for a gradient attribution
(captum/_utils/gradient.py: apply_gradient_requirements marks the inputs as requiring grad, then
torch.autograd.grad of the selected outputs; Saliency returns the absolute value). X never requires grad, as in the
issue; the attribution equals |W[target]| on every row."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-captum-saliency-input-without-requires-grad"


class Saliency:
    def __init__(self, forward_func):
        self.forward_func = forward_func

    def attribute(self, inputs, target=None, abs=True):
        grad_required = inputs.requires_grad
        inputs.requires_grad_()
        with torch.autograd.set_grad_enabled(True):
            outputs = self.forward_func(inputs)
            selected = outputs[:, target]
            grads = torch.autograd.grad(torch.unbind(selected), inputs)[0]
        if not grad_required:
            inputs.requires_grad_(False)
        return grads.abs() if abs else grads


@gt.case(CASE)
def _():
    captum = types.ModuleType("captum")
    attr = types.ModuleType("captum.attr")
    attr.Saliency = Saliency
    captum.attr = attr
    sys.modules["captum"], sys.modules["captum.attr"] = captum, attr
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    model = ns["Net"]()
    X = torch.rand(3, 5)
    out = []
    err = gt.raises(lambda: out.append(ns["sal"](model, X, 1)))
    expected = model.fc.weight[1].detach().abs().numpy()
    ok = err is None and abs(out[0] - expected).max() < 1e-6
    return not ok, f"error: {err or 'none'}; attribution rows equal |W[1]|: {ok}"


gt.main()
