import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def stub_ignite():
    # ignite is not installed: the two names the snippet imports, as small stand-ins (Metric keeps the device;
    # reinit__is_reduced is a decorator that leaves the method as it is).
    class Metric:
        def __init__(self, output_transform=lambda x: x, device=torch.device("cpu")):
            self._output_transform = output_transform
            self._device = device

    mod = types.ModuleType("ignite.metrics.metric")
    mod.Metric = Metric
    mod.reinit__is_reduced = lambda f: f
    sys.modules.setdefault("ignite", types.ModuleType("ignite"))
    sys.modules.setdefault("ignite.metrics", types.ModuleType("ignite.metrics"))
    sys.modules["ignite.metrics.metric"] = mod


@gt.case("pt-git-ignite-loss-metric-detaches-prediction")
def _():
    # DUQ's evaluator (issue 1674): a Loss metric whose loss_fn is a gradient penalty, the derivative of the summed
    # prediction with respect to the input; the engine gives (x, y_pred_sum) to the metric.
    stub_ignite()
    ns = gt.exec_snippet(__file__)

    def gradient_penalty(x, y_pred_sum):
        g = torch.autograd.grad(y_pred_sum, x, torch.ones_like(y_pred_sum), create_graph=True)[0]
        return ((g.flatten(1).norm(2, dim=1) - 1) ** 2).mean()

    metric = ns["Loss"](gradient_penalty)
    metric._sum, metric._num_examples = torch.tensor(0.0), 0
    x = torch.randn(6, 3, requires_grad=True)
    y_pred_sum = torch.tanh(x @ torch.randn(3, 4)).sum(1)
    err = gt.raises(lambda: metric.update((x, y_pred_sum)))
    return err is not None, f"update raised: {err}; accumulated {gt.fmt(float(metric._sum))}"


gt.main()
