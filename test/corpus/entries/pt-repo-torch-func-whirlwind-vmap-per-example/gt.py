"""Ground truth for pt-repo-torch-func-whirlwind-vmap-per-example: the snippet runs; vmap(model) equals the loop
over examples and each batched Jacobian equals diag(cos x). functorch provides torch.func on PyTorch 1.13."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import functorch  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-torch-func-whirlwind-vmap-per-example")
def _():
    if not hasattr(torch, "func"):
        torch.func = types.SimpleNamespace(vmap=functorch.vmap, jacrev=functorch.jacrev)
        sys.modules.setdefault("torch.func", torch.func)
    ns = gt.exec_snippet(__file__)
    loop = torch.stack([ns["model"](e) for e in ns["examples"]])
    err1 = (ns["result"] - loop).abs().max().item()
    x = ns["x"]
    err2 = (ns["jacobian"] - torch.diag_embed(torch.cos(x))).abs().max().item()
    return max(err1, err2) > 1e-6, f"vmap(model) vs loop: {err1:.1e}; vmap(jacrev(sin)) vs diag(cos x): {err2:.1e}"


gt.main()
