"""Ground truth for pt-gh-melu-load-state-dict-cuts-local-update: the snippet's MeLU (global_update with one
local update) on a small user_preference_estimator stand-in (fc1, fc2, linear_out on 6 features: the
embeddings are trimmed), float64, CPU. The meta-gradient global_update leaves in .grad (Adam's lr is 0) is
compared with (a) the MAML meta-gradient through the local update, computed functionally and checked
against central finite differences of the meta-loss, and (b) the first-order gradient: the query loss's
gradient at the adapted weights. On PyTorch 1.13 global_update raises first: load_state_dict(keep_weight)
overwrites in place the weights the query prediction saved for backward; that error is the measured
symptom then (older versions ran and computed the first-order gradient, as the issue says)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.utils.stateless import functional_call  # noqa: E402  (PyTorch 1.13)

CONFIG = {"use_cuda": False, "local_lr": 0.5, "lr": 0.0}


class user_preference_estimator(torch.nn.Module):  # noqa: N801 - the snippet's name
    def __init__(self, config):
        super().__init__()
        torch.manual_seed(0)
        self.fc1 = torch.nn.Linear(6, 8)
        self.fc2 = torch.nn.Linear(8, 8)
        self.linear_out = torch.nn.Linear(8, 1)

    def forward(self, x, training=True):
        return self.linear_out(torch.tanh(self.fc2(torch.tanh(self.fc1(x)))))


def data():
    g = torch.Generator().manual_seed(4)
    return (torch.randn(5, 6, generator=g, dtype=torch.float64), torch.randn(5, generator=g, dtype=torch.float64),
            torch.randn(5, 6, generator=g, dtype=torch.float64), torch.randn(5, generator=g, dtype=torch.float64))


def maml_loss(model, params):
    xs, ys, xq, yq = data()
    loss = F.mse_loss(functional_call(model, params, (xs,)), ys.view(-1, 1))
    g = torch.autograd.grad(loss, list(params.values()), create_graph=True)
    fast = {k: p - CONFIG["local_lr"] * gi for (k, p), gi in zip(params.items(), g)}
    return F.mse_loss(functional_call(model, fast, (xq,)), yq.view(-1, 1)), fast


@gt.case("pt-gh-melu-load-state-dict-cuts-local-update")
def _():
    ns = gt.exec_snippet(__file__, {"user_preference_estimator": user_preference_estimator})
    melu = ns["MeLU"](CONFIG).double()
    melu.store_parameters()
    xs, ys, xq, yq = data()
    err = gt.raises(lambda: melu.global_update([xs], [ys], [xq], [yq], 1))
    if err is not None:
        # PyTorch >= 1.x checks saved tensors: load_state_dict(keep_weight) overwrote in place the weights the
        # query prediction saved, so the meta-update raises instead of silently being first-order.
        return True, f"global_update raised: {err.splitlines()[0][:160]}"
    snippet = melu.model.fc1.weight.grad[2, 3].item()

    model = user_preference_estimator(CONFIG).double()
    params = {k: v.detach().clone().requires_grad_(True) for k, v in model.named_parameters()}
    meta, fast = maml_loss(model, params)
    second = torch.autograd.grad(meta, params["fc1.weight"], retain_graph=True)[0][2, 3].item()
    fast_leaf = {k: v.detach().requires_grad_(True) for k, v in fast.items()}
    q = F.mse_loss(functional_call(model, fast_leaf, (xq,)), yq.view(-1, 1))
    first = torch.autograd.grad(q, fast_leaf["fc1.weight"])[0][2, 3].item()
    h = 1e-6
    vals = []
    for s in (h, -h):
        p2 = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}
        with torch.no_grad():
            p2["fc1.weight"][2, 3] += s
        vals.append(float(maml_loss(model, p2)[0]))
    fd = (vals[0] - vals[1]) / (2 * h)
    rel_second = abs(second - fd) / max(abs(fd), 1e-12)
    rel_snip = abs(snippet - fd) / max(abs(fd), 1e-12)
    rel_first = abs(snippet - first) / max(abs(first), 1e-12)
    return rel_second < 1e-5 and rel_snip > 1e-3, (
        f"d meta-loss / d fc1.weight[2,3]: finite differences {gt.fmt(fd)}, MAML through the update {gt.fmt(second)} "
        f"(rel err {gt.fmt(rel_second)}); snippet's global_update {gt.fmt(snippet)} (rel err {gt.fmt(rel_snip)}), "
        f"which is the first-order gradient {gt.fmt(first)} (rel diff {gt.fmt(rel_first)})")


gt.main()
