import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-labml-wgan-gp-penalty"


@gt.case(CASE)
def _():
    # The page imports Module from labml_helpers (a torch.nn.Module subclass); it is not installed here.
    pkg, mod = types.ModuleType("labml_helpers"), types.ModuleType("labml_helpers.module")
    mod.Module = torch.nn.Module
    pkg.module = mod
    sys.modules.setdefault("labml_helpers", pkg)
    sys.modules.setdefault("labml_helpers.module", mod)
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    critic = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1)).double()
    x = torch.randn(6, 1, 4, 4, dtype=torch.float64, requires_grad=True)
    f = critic(x)
    gp = ns["GradientPenalty"]()(x, f)
    # Reference: each sample's gradient norm on its own.
    norms = torch.stack([torch.autograd.grad(f[i, 0], x, retain_graph=True)[0][i].norm() for i in range(6)])
    ref = torch.mean((norms - 1) ** 2)
    err = abs(gp.item() - ref.item()) / ref.item()
    gp.backward()
    w = critic[1].weight.grad
    reaches = w is not None and w.abs().sum().item() > 0
    return err > 1e-9 or not reaches, f"penalty vs per-sample reference: rel err {gt.fmt(err)}; reaches critic weights: {reaches}"


gt.main()
