"""Ground truth for pt-gh-deepxde-hessian-of-data-arrays: DeepXDE is not installed here. The stand-in for
dde.grad.hessian does what DeepXDE's PyTorch backend does at its core, torch.autograd.grad(ys, xs,
grad_outputs=ones, create_graph=True), on the snippet's tensors; genfromtxt reads a small stand-in data file."""
import os
import sys
import tempfile
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-deepxde-hessian-of-data-arrays"


def hessian(ys, xs, component=None, i=0, j=0):
    dy = torch.autograd.grad(ys, xs, grad_outputs=torch.ones_like(ys), create_graph=True)[0]
    return torch.autograd.grad(dy, xs, grad_outputs=torch.ones_like(dy), create_graph=True)[0]


@gt.case(CASE)
def _():
    dde = types.ModuleType("deepxde")
    dde.grad = types.SimpleNamespace(hessian=hessian)
    sys.modules["deepxde"] = dde
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as d:
        xs = np.linspace(-1, 1, 20)
        np.savetxt(os.path.join(d, "dataset.train"), np.stack([xs, np.sin(xs)], axis=1))
        os.chdir(d)
        try:
            err = gt.raises(lambda: gt.exec_snippet(__file__, {}))
        finally:
            os.chdir(cwd)
    return err is not None and "does not require grad" in err, f"dde.grad.hessian raised {err!r}"


gt.main()
