import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


def make_vjp(fun, argnum=0):
    """Stand-in for HIPS autograd's make_vjp with a list of argnums: returns (vjp, ans), vjp(g) a tuple of
    cotangents of the selected arguments (computed with torch, since autograd is not installed)."""

    def run(*args):
        xs = [torch.as_tensor(a, dtype=torch.float64).requires_grad_(i in argnum) if isinstance(a, np.ndarray) else a
              for i, a in enumerate(args)]
        with torch.enable_grad():  # autograd traces regardless of torch's grad mode inside Function.forward
            out = fun(*xs)

        def vjp(g):
            gs = torch.autograd.grad(out, [xs[i] for i in argnum], torch.as_tensor(g, dtype=torch.float64),
                                     retain_graph=True)
            return tuple(t.numpy() for t in gs)

        return vjp, out.detach().numpy()

    return run


autograd = types.ModuleType("autograd")
autograd.make_vjp = make_vjp
extend = types.ModuleType("autograd.extend")
extend.vspace = lambda a: types.SimpleNamespace(ones=lambda: np.ones_like(a))
sys.modules["autograd"], sys.modules["autograd.extend"] = autograd, extend


@gt.case("pt-gh-tidy3d-to-torch-vjp-of-grad-output")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    M = torch.randn(3, 3, dtype=torch.float64)

    @ns["to_torch"]
    def f(x):
        return M @ x  # an array-valued function of the design parameters (square, so that shapes agree)

    x = torch.randn(3, dtype=torch.float64, requires_grad=True)
    w = torch.randn(3, dtype=torch.float64)
    (f(x) * w).sum().backward()
    want = M.T @ w
    err = gt.rel_err(x.grad, want)
    return err > 1e-8, f"gradient relative error against M^T w: {gt.fmt(err)}"


gt.main()
