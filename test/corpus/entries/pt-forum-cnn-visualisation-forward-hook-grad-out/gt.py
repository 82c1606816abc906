import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-cnn-visualisation-forward-hook-grad-out"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU(), torch.nn.Conv2d(4, 5, 3)).double()
    viz = types.SimpleNamespace(model=model, selected_layer=2, selected_filter=3)
    viz.hook_layer = types.MethodType(ns["hook_layer"], viz)
    ns["visualise_layer_with_hooks"](viz)
    image = torch.rand(1, 3, 12, 12, dtype=torch.float64, requires_grad=True)
    out = model(image)
    same = torch.allclose(viz.conv_output, out[0, 3])
    # the toolkit's step: maximize the mean activation of the selected filter through the hook's tensor
    loss = -torch.mean(viz.conv_output)
    loss.backward()
    g = image.grad
    expected = torch.autograd.grad(-torch.mean(model(image)[0, 3]), image)[0]
    ok = same and g is not None and gt.rel_err(g, expected) < 1e-12 and float(g.abs().sum()) > 0
    return not ok, f"conv_output == layer output[0, filter]: {same}; image grad vs direct: {gt.fmt(gt.rel_err(g, expected)) if g is not None else None}"


gt.main()
