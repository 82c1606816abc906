import copy
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.utils.stateless import functional_call  # noqa: E402

CASE = "pt-repo-learn2learn-update-module-keeps-graph"
LR = 0.5


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    update_module = ns["update_module"]
    g = torch.Generator().manual_seed(0)
    xs, xq = torch.rand(8, 2, generator=g, dtype=torch.float64), torch.rand(8, 2, generator=g, dtype=torch.float64)
    ys, yq = torch.sin(3 * xs).sum(1, keepdim=True), torch.sin(3 * xq).sum(1, keepdim=True)
    net = gt.mlp(2, 1)
    theta = list(net.parameters())

    # learn2learn's documented use: a clone that shares the parameters' graph, one step, the query loss.
    learner = copy.deepcopy(net)
    for name, p in net.named_parameters():  # the clone's slots hold the original tensors (as clone_module does)
        mod = learner
        *path, leaf = name.split(".")
        for part in path:
            mod = mod._modules[part]
        mod._parameters[leaf] = p
    loss = F.mse_loss(learner(xs), ys)
    grads = torch.autograd.grad(loss, list(learner.parameters()), create_graph=True)
    update_module(learner, updates=[-LR * gr for gr in grads])
    query = F.mse_loss(learner(xq), yq)
    meta = torch.autograd.grad(query, theta)

    names = [n for n, _ in net.named_parameters()]

    def objective(params):
        p = dict(zip(names, [t.clone().requires_grad_(True) for t in params]))
        gr = torch.autograd.grad(F.mse_loss(functional_call(net, p, (xs,)), ys), list(p.values()))
        return float(F.mse_loss(functional_call(net, {n: w - LR * d for (n, w), d in zip(p.items(), gr)}, (xq,)), yq))

    v = [torch.randn_like(t) for t in theta]
    h = 1e-6
    base = [t.detach() for t in theta]
    fd = (objective([b + h * d for b, d in zip(base, v)]) - objective([b - h * d for b, d in zip(base, v)])) / (2 * h)
    ad = float(sum((m * d).sum() for m, d in zip(meta, v)))
    rel = abs(ad - fd) / max(abs(fd), 1e-12)
    return rel > 1e-5, f"meta-gradient along a random direction {gt.fmt(ad)} vs finite differences {gt.fmt(fd)} (rel err {gt.fmt(rel)})"


gt.main()
