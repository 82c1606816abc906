import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-deep-learning-by-hand-targets-with-graph-before-loop"


def common_module():
    """The notebook's utils/Common.py helpers as d2l writes them (not quoted by the source): ReLU, squared loss,
    minibatch SGD under no_grad, and a shuffling loader of (X, Y) slices."""
    m = types.ModuleType("utils.Common")

    def relu(x):
        return torch.max(x, torch.zeros_like(x))

    def loss(y_hat, y):
        return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad / batch_size
                p.grad.zero_()

    def DataLoader(X, Y, batch_size, shuffle=True):
        idx = torch.randperm(len(X)) if shuffle else torch.arange(len(X))
        return [(X[idx[i:i + batch_size]], Y[idx[i:i + batch_size]]) for i in range(0, 60, batch_size)]

    m.relu, m.loss, m.sgd, m.DataLoader = relu, loss, sgd, DataLoader
    return m


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    pkg = types.ModuleType("utils")
    pkg.Common = common_module()
    sys.modules["utils"], sys.modules["utils.Common"] = pkg, pkg.Common
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None and "second time" in err, f"the training loop raised {err}"


gt.main()
