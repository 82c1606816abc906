"""Ground truth for pt-repo-torch-func-grad-doc-second-order-scalar: the documented nested grad of a 0-dim input
runs and gives -sin(x). PyTorch 1.13 ships these transforms as functorch, so `torch.func` is provided by it here."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import functorch  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torch-func-grad-doc-second-order-scalar"


@gt.case(CASE)
def _():
    if not hasattr(torch, "func"):
        torch.func = types.SimpleNamespace(grad=functorch.grad)
        sys.modules.setdefault("torch.func", torch.func)
    worst = 0.0
    for seed in range(5):
        torch.manual_seed(seed)
        ns = gt.exec_snippet(__file__, {"torch": torch})
        x = ns["x"]
        worst = max(worst, abs(ns["neg_sin_x"].item() + x.sin().item()), abs(ns["cos_x"].item() - x.cos().item()))
    return worst > 1e-6, f"largest error against cos(x) and -sin(x) over 5 inputs: {worst:.2e}"


gt.main()
