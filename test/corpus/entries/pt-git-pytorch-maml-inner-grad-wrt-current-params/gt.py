import os
import sys
import types
from collections import OrderedDict

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-pytorch-maml-inner-grad-wrt-current-params"


class MetaModule(torch.nn.Module):
    """Stand-in for maml.modules.MetaModule: a module that runs with given parameters."""

    def meta_named_parameters(self):
        return self.named_parameters()

    def meta_parameters(self):
        for _, p in self.meta_named_parameters():
            yield p


class MetaLinearTanh(MetaModule):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(1, 3, dtype=torch.float64))
        self.bias = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))

    def forward(self, x, params=None):
        if params is None:
            params = OrderedDict(self.named_parameters())
        return torch.tanh(torch.nn.functional.linear(x, params["weight"], params["bias"]))


@gt.case(CASE)
def _():
    # The quoted update_parameters runs unchanged (maml.modules supplied as a module). Two steps of
    # adaptation, the second from the adapted params as the signature allows: the second step must
    # move params along the gradient of the inner loss with respect to those params.
    pkg = types.ModuleType("maml")
    mod = types.ModuleType("maml.modules")
    mod.MetaModule = MetaModule
    sys.modules["maml"], sys.modules["maml.modules"] = pkg, mod
    ns = gt.exec_snippet(__file__)
    update_parameters = ns["update_parameters"]

    torch.manual_seed(0)
    model = MetaLinearTanh()
    x, y = torch.randn(16, 3, dtype=torch.float64), torch.randn(16, 1, dtype=torch.float64)

    def inner_loss(params):
        return torch.nn.functional.mse_loss(model(x, params=params), y)

    params = update_parameters(model, inner_loss(None), step_size=0.5)
    loss = inner_loss(params)
    new = update_parameters(model, loss, params=params, step_size=0.5)
    used = [(params[k] - new[k]) / 0.5 for k in params]
    want = torch.autograd.grad(inner_loss(params), list(params.values()))
    err = max(gt.rel_err(a, b) for a, b in zip(used, want))
    return err > 1e-6, f"second step: max rel. error of the step direction against dL/dparams {err:.3g}"


gt.main()
