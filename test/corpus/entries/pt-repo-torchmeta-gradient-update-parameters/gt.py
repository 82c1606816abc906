"""Ground truth for pt-repo-torchmeta-gradient-update-parameters (correct look-alike): torchmeta is not
installed, so `torchmeta.modules.MetaModule` is provided as a small base class with
meta_named_parameters(); the model is a two-layer MetaModule whose forward takes params. Two inner updates
with the snippet's function (first_order=False, the default), a query loss on the updated params; the
meta-gradient of one weight is compared with central finite differences (float64). first_order=True is
shown to differ (it drops the second-order term)."""
import os
import sys
import types
from collections import OrderedDict

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class MetaModule(nn.Module):
    def meta_named_parameters(self):
        return self.named_parameters()


mods = types.ModuleType("torchmeta.modules")
mods.MetaModule = MetaModule
sys.modules.setdefault("torchmeta", types.ModuleType("torchmeta"))
sys.modules.setdefault("torchmeta.modules", mods)


class Net(MetaModule):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.l1 = nn.Linear(2, 8)
        self.l2 = nn.Linear(8, 1)

    def forward(self, x, params=None):
        p = OrderedDict(self.named_parameters()) if params is None else params
        return F.linear(torch.tanh(F.linear(x, p["l1.weight"], p["l1.bias"])), p["l2.weight"], p["l2.bias"])


g = torch.Generator().manual_seed(1)
XS, YS = torch.randn(6, 2, generator=g, dtype=torch.float64), torch.randn(6, 1, generator=g, dtype=torch.float64)
XQ, YQ = torch.randn(6, 2, generator=g, dtype=torch.float64), torch.randn(6, 1, generator=g, dtype=torch.float64)


def meta_loss(update, model, first_order=False):
    params = update(model, F.mse_loss(model(XS), YS), step_size=0.3, first_order=first_order)
    params = update(model, F.mse_loss(model(XS, params), YS), params=params, step_size=0.3, first_order=first_order)
    return F.mse_loss(model(XQ, params), YQ)


@gt.case("pt-repo-torchmeta-gradient-update-parameters")
def _():
    update = gt.exec_snippet(__file__)["gradient_update_parameters"]
    model = Net().double()
    meta_loss(update, model).backward()
    grad = model.l1.weight.grad[3, 1].item()
    model.zero_grad()
    meta_loss(update, model, first_order=True).backward()
    first = model.l1.weight.grad[3, 1].item()
    h = 1e-6
    vals = []
    for s in (h, -h):
        with torch.no_grad():
            model.l1.weight[3, 1] += s
        vals.append(float(meta_loss(update, model)))
        with torch.no_grad():
            model.l1.weight[3, 1] -= s
    fd = (vals[0] - vals[1]) / (2 * h)
    rel = abs(grad - fd) / max(abs(fd), 1e-12)
    rel_first = abs(first - fd) / max(abs(fd), 1e-12)
    return not (rel < 1e-5 and rel_first > 1e-4), (
        f"d meta-loss / d l1.weight[3,1]: default (second order) {gt.fmt(grad)}, finite differences {gt.fmt(fd)}, rel err "
        f"{gt.fmt(rel)}; first_order=True {gt.fmt(first)} (rel err {gt.fmt(rel_first)})")


gt.main()
