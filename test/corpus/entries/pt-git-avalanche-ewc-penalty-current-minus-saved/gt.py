import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

# Stand-in for avalanche.training.plugins.strategy_plugin.SupervisedPlugin (a base class with no behaviour here).
for name in ["avalanche", "avalanche.training", "avalanche.training.plugins", "avalanche.training.plugins.strategy_plugin"]:
    sys.modules[name] = types.ModuleType(name)
sys.modules["avalanche.training.plugins.strategy_plugin"].SupervisedPlugin = type("SupervisedPlugin", (), {})


@gt.case("pt-git-avalanche-ewc-penalty-current-minus-saved")
def _():
    ns = gt.exec_snippet(__file__)
    model = gt.mlp(3, 2, width=5)
    plugin = ns["EWCPlugin"](ewc_lambda=10.0)
    # After experience 0: saved parameters (then training moved the weights) and importances.
    plugin.saved_params[0] = [(n, p.detach().clone() - 0.1) for n, p in model.named_parameters()]
    plugin.importances[0] = [(n, torch.ones_like(p)) for n, p in model.named_parameters()]
    x = torch.rand(8, 3, dtype=torch.float64)
    task = [g.detach() for g in torch.autograd.grad(model(x).pow(2).mean(), list(model.parameters()))]
    strategy = types.SimpleNamespace(model=model, device="cpu", clock=types.SimpleNamespace(train_exp_counter=1),
                                     loss=model(x).pow(2).mean())
    plugin.before_backward(strategy)
    strategy.loss.backward()
    got = [g - t for g, t in zip(gt.param_grads(model), task)]  # the penalty's share of the gradient
    want = [2 * 10.0 * (p.detach() - s) for p, (_, s) in zip(model.parameters(), plugin.saved_params[0])]
    err = max(gt.rel_err(g, w) for g, w in zip(got, want))
    return err > 1e-4, f"penalty gradient norm {gt.fmt(gt.norm_of(got))} (expected {gt.fmt(gt.norm_of(want))})"


gt.main()
