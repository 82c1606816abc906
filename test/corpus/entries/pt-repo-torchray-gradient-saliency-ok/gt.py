import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torchray-gradient-saliency-ok"


def _stub_torchray(model, x, category_id, seen):
    # torchray is not installed: its helpers are stubbed (example data = a small CNN and a random image).
    common = types.ModuleType("torchray.attribution.common")
    common.gradient_to_saliency = lambda t: t.grad.abs().max(dim=1, keepdim=True)[0]
    bench = types.ModuleType("torchray.benchmark")
    bench.get_example_data = lambda: (model, x, category_id, None)
    bench.plot_example = lambda *a, **k: seen.append(a[1])
    for name, mod in {"torchray": types.ModuleType("torchray"),
                      "torchray.attribution": types.ModuleType("torchray.attribution"),
                      "torchray.attribution.common": common, "torchray.benchmark": bench}.items():
        sys.modules[name] = mod


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Tanh(), torch.nn.Flatten(),
                                torch.nn.Linear(4 * 6 * 6, 5)).double()
    x = torch.randn(1, 3, 8, 8, dtype=torch.float64)
    ref = gt.input_grad(lambda t: model(t)[0, 2], x)[0]
    seen = []
    _stub_torchray(model, x, 2, seen)
    gt.exec_snippet(__file__, {})
    if x.grad is None:
        return True, "x.grad is None"
    err = gt.rel_err(x.grad, ref)
    return err > 1e-10, f"x.grad vs input gradient: rel err {err:.2e}; saliency shape {tuple(seen[0].shape)}"


gt.main()
