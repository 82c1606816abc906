import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-deepxde-outputs-requires-grad-under-no-grad"


class Recording(torch.nn.Module):
    """The network, keeping the tensor it was called with (DeepXDE differentiates w.r.t. it)."""

    def __init__(self):
        super().__init__()
        self.net = gt.mlp(2, 1)
        self.seen = None

    def forward(self, x):
        self.seen = x
        return self.net(x)


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "grad": SimpleNamespace(clear=lambda: None)})
    net = Recording()
    ns["self"] = SimpleNamespace(net=net)
    x = np.random.rand(16, 2)
    out = ns["outputs"](True, x)
    inputs = net.seen
    du = torch.autograd.grad(out, inputs, torch.ones_like(out), create_graph=True)[0]
    fd = gt.fd_gradient(lambda a: net.net(torch.from_numpy(a)).detach().numpy(), x)
    err = gt.rel_err(du, fd)
    return not (out.grad_fn is not None and err < 1e-6), (
        f"output has a graph: {out.grad_fn is not None}; d output / d inputs vs FD rel err {gt.fmt(err)}")


gt.main()
