import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import functorch


class _Torch(types.ModuleType):
    """torch as of 2.x for this snippet: torch.vmap is functorch.vmap (PyTorch 1.13 ships it there)."""

    def __getattr__(self, name):
        return getattr(torch, name)

    vmap = staticmethod(functorch.vmap)


@gt.case("pt-gh-vmap-autograd-grad-basis-jacobian")
def _():
    real_import = __builtins__["__import__"] if isinstance(__builtins__, dict) else __builtins__.__import__
    shim = _Torch("torch")

    def imp(name, *a, **k):
        return shim if name == "torch" else real_import(name, *a, **k)

    ns = gt.exec_snippet(__file__, {"__builtins__": dict(vars(__import__("builtins")), __import__=imp)})
    seq = torch.stack(ns["jacobian_rows"])
    vec = ns["jacobian"][0]
    exact = torch.diag(2 * ns["x"].detach())
    e1, e2 = gt.rel_err(vec, exact), gt.rel_err(seq, exact)
    return max(e1, e2) > 1e-6, f"vmap(get_vjp)(I_N) vs diag(2x): rel. err {e1:.2g}; sequential rows: {e2:.2g}"


gt.main()
