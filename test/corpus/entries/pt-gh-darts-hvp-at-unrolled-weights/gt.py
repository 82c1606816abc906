import copy
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-darts-hvp-at-unrolled-weights"


class TinySearchNet(torch.nn.Module):
    """A one-cell DARTS-like network: two candidate ops mixed by softmax(alpha); parameters() are the
    weights, arch_parameters() the alphas, _loss(input, target) the training criterion, as in
    model_search.Network."""

    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        self.w1 = torch.nn.Parameter(torch.randn(4, 3, generator=g, dtype=torch.float64))
        self.w2 = torch.nn.Parameter(torch.randn(4, 3, generator=g, dtype=torch.float64))
        self._alpha = torch.randn(2, generator=g, dtype=torch.float64).requires_grad_(True)

    def arch_parameters(self):
        return [self._alpha]

    def _loss(self, input, target):
        a = torch.softmax(self._alpha, 0)
        out = a[0] * torch.tanh(input @ self.w1.T) + a[1] * torch.sin(input @ self.w2.T)
        return ((out.sum(1) - target) ** 2).mean()


@gt.case(CASE)
def _():
    # The quoted unrolled step builds w' = w - eta * dL_train/dw (here with eta = 0.1, no momentum) and
    # passes the unrolled model to _hessian_vector_product; DARTS' eq. 7 needs the mixed second derivative
    # of L_train at the current weights w. _construct_model_from_theta needs CUDA and the real Network, so
    # the unrolled model is built here the same way (a copy with the stepped weights).
    sys.modules.setdefault("model_search", types.SimpleNamespace(Network=None))
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(1)
    xt, yt = torch.randn(16, 3, dtype=torch.float64), torch.randn(16, dtype=torch.float64)
    xv, yv = torch.randn(16, 3, dtype=torch.float64), torch.randn(16, dtype=torch.float64)
    model, eta = TinySearchNet(), 0.1
    args = types.SimpleNamespace(momentum=0.9, weight_decay=0.0, arch_learning_rate=3e-4, arch_weight_decay=1e-3)
    architect = ns["Architect"](model, args)
    dtheta = torch.autograd.grad(model._loss(xt, yt), list(model.parameters()))
    unrolled = copy.deepcopy(model)
    with torch.no_grad():
        for p, g in zip(unrolled.parameters(), dtheta):
            p.sub_(eta * g)
    unrolled._alpha = model._alpha.detach().clone().requires_grad_(True)
    vector = [g.data for g in torch.autograd.grad(unrolled._loss(xv, yv), list(unrolled.parameters()))]
    implicit = architect._hessian_vector_product(unrolled, vector, xt, yt)[0]
    grads = torch.autograd.grad(model._loss(xt, yt), list(model.parameters()), create_graph=True)
    exact = torch.autograd.grad(sum((g * v).sum() for g, v in zip(grads, vector)), model.arch_parameters())[0]
    e = gt.rel_err(implicit, exact)
    return e > 1e-3, f"implicit gradient term vs d/dalpha <grad_w L_train(w), v> at w: rel err {gt.fmt(e)}"


gt.main()
