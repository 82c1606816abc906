import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-deepxde-outputs-forward-under-no-grad"


class WithDerivativeTransform(torch.nn.Module):
    """A network with an output transform that uses du/dx (what PR #920 enabled in DeepXDE)."""

    def __init__(self):
        super().__init__()
        self.net = gt.mlp(1, 1)

    def forward(self, x):
        u = self.net(x)
        du = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
        return u + x * du


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    net = WithDerivativeTransform()
    ns["self"] = SimpleNamespace(net=net)
    x = np.linspace(0, 1, 8).reshape(-1, 1)
    err = gt.raises(lambda: ns["outputs"](False, x))
    # the same transform with recording on and an input that requires grad works
    xt = torch.as_tensor(x).requires_grad_()
    works = net(xt).shape
    return err is not None, f"outputs() raised {err}; the transform itself runs with recording on: output {tuple(works)}"


gt.main()
