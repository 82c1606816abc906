"""Ground truth for pt-git-higher-step-frozen-params: the snippet's DifferentiableOptimizer.step (higher) on the
fast weights of a linear model whose bias is frozen (requires_grad=False), the case of a model with
frozen layers. The patched model, the parameter groups and the SGD update are minimal stand-ins for
higher's: fast_params lists every parameter of the model, frozen ones included, and _update takes a
plain SGD step (lr 0.1) on each parameter that has a gradient. The step must run, move the weight
by -lr times its gradient and leave the frozen bias as it is."""
import abc
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-higher-step-frozen-params"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"_abc": abc})

    class SGD(ns["DifferentiableOptimizer"]):
        def __init__(self, fast_params):
            self._fmodel = types.SimpleNamespace(fast_params=fast_params, update_params=lambda new: None)
            self._track_higher_grads = True
            self.param_groups = [{"params": list(fast_params), "lr": 0.1}]
            self._group_to_param_list = [list(range(len(fast_params)))]

        def _update(self, grouped_grads, **kwargs):
            for group, grads in zip(self.param_groups, grouped_grads):
                for i, (p, g) in enumerate(zip(group["params"], grads)):
                    if g is not None:
                        group["params"][i] = p - group["lr"] * g

    torch.manual_seed(0)
    weight = torch.randn(1, 2, dtype=torch.float64, requires_grad=True)
    bias = torch.zeros(1, dtype=torch.float64)  # frozen layer parameter
    x = torch.randn(16, 2, dtype=torch.float64)
    y = torch.randn(16, 1, dtype=torch.float64)
    loss = ((x @ weight.t() + bias - y) ** 2).mean()
    (g_w,) = torch.autograd.grad(loss, weight, retain_graph=True)

    opt = SGD([weight, bias])
    out = {}
    err = gt.raises(lambda: out.setdefault("p", opt.step(loss)))
    if err is not None:
        return True, f"step() on a model with a frozen parameter raises {err}"
    new_w, new_b = out["p"]
    ok = torch.allclose(new_w, weight - 0.1 * g_w) and torch.equal(new_b, bias)
    return not ok, f"weight moved by -lr*grad: {torch.allclose(new_w, weight - 0.1 * g_w)}, frozen bias kept: {torch.equal(new_b, bias)}"


gt.main()
