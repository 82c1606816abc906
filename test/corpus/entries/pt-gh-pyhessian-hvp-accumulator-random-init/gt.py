import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pyhessian-hvp-accumulator-random-init"


@gt.case(CASE)
def _():
    # pyhessian.utils (workspace/pyhessian/utils.py: group_product, get_params_grad) is registered as a module;
    # the quoted hessian class runs unchanged on a small model and a three-batch "dataloader" (cuda=False).
    utils_ns = gt.exec_snippet(__file__, snippet=os.path.join("workspace", "pyhessian", "utils.py"))
    mod = types.ModuleType("pyhessian.utils")
    mod.__dict__.update({k: v for k, v in utils_ns.items() if not k.startswith("__")})
    mod.group_add = mod.normalization = mod.hessian_vector_product = mod.orthnormal = None  # unused here
    sys.modules["pyhessian"] = types.ModuleType("pyhessian")
    sys.modules["pyhessian.utils"] = mod
    ns = gt.exec_snippet(__file__)

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    crit = torch.nn.MSELoss()
    batches = [(torch.randn(5, 3), torch.randn(5, 1)) for _ in range(3)]
    h = ns["hessian"](model, crit, dataloader=batches, cuda=False)
    v = [torch.randn_like(p) for p in h.params]
    _, thv = h.dataloader_hv_product(v)

    # Reference: the Hessian-vector product of the data-averaged loss, by double backward.
    params = list(model.parameters())
    x = torch.cat([b[0] for b in batches])
    y = torch.cat([b[1] for b in batches])
    g = torch.autograd.grad(crit(model(x), y), params, create_graph=True)
    want = torch.autograd.grad(g, params, grad_outputs=v)
    err = max(gt.rel_err(a, b) for a, b in zip(thv, want))
    return err > 1e-4, f"max rel. error of dataloader_hv_product against the exact Hessian-vector product {err:.3g}"


gt.main()
