import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-fastai-accuracy-argmax-no-grad-fn-ok"


def _fake_nb_02():
    # Stand-in for the course's exported notebook module: torch, nn and a small MNIST-shaped get_data().
    torch.manual_seed(0)
    mod = types.ModuleType("exp.nb_02")
    mod.torch, mod.nn = torch, torch.nn

    def get_data():
        x_train, x_valid = torch.randn(64, 784), torch.randn(16, 784)
        y_train, y_valid = torch.randint(0, 10, (64,)), torch.randint(0, 10, (16,))
        y_train[0] = 9
        return x_train, y_train, x_valid, y_valid

    mod.get_data = get_data
    mod.__all__ = ["torch", "nn", "get_data"]
    pkg = types.ModuleType("exp")
    pkg.nb_02 = mod
    sys.modules["exp"], sys.modules["exp.nb_02"] = pkg, mod


@gt.case(CASE)
def _():
    # The snippet runs as quoted. Its training signal is cross_entropy; accuracy (argmax) is a metric only.
    # Check the loss is connected to every weight and backward fills them; accuracy's grad_fn None is expected.
    _fake_nb_02()
    ns = gt.exec_snippet(__file__)
    model, pred, y = ns["model"], ns["pred"], ns["y_train"]
    loss = ns["cross_entropy"](pred, y)
    acc = ns["accuracy"](pred, y)
    weights = [p for layer in model.layers for p in layer.parameters()]
    loss.backward()
    filled = all(w.grad is not None and float(w.grad.abs().sum()) > 0 for w in weights)
    return not filled, (f"loss.grad_fn={type(loss.grad_fn).__name__}, accuracy.grad_fn={acc.grad_fn}; "
                        f"all {len(weights)} weights got nonzero grads: {filled}")


gt.main()
