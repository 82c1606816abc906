import os, sys, types, io, contextlib
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-fast-soft-sort-rebound-leaf-grad-none"


def _install_soft_sort():
    # fast_soft_sort is not installable here; a differentiable stand-in with the same call signature
    # (a hard descending sort, whose values are differentiable) is enough: the bug does not depend on it.
    def soft_sort(values, direction="ASCENDING", regularization_strength=1.0):
        return torch.sort(values, dim=-1, descending=(direction == "DESCENDING"))[0]
    ops = types.ModuleType("fast_soft_sort.pytorch_ops")
    ops.soft_sort = soft_sort
    ops.__all__ = ["soft_sort"]
    pkg = types.ModuleType("fast_soft_sort")
    pkg.pytorch_ops = ops
    sys.modules["fast_soft_sort"] = pkg
    sys.modules["fast_soft_sort.pytorch_ops"] = ops


@gt.case(CASE)
def _():
    _install_soft_sort()
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__)
    conf = ns["conf"]
    leaves = [t for t in [conf] if t.is_leaf]
    return conf.grad is None, (f"after loss.backward() the printed conf.grad is {conf.grad}; conf is "
                               f"{'a leaf' if leaves else 'the non-leaf soft_sort output (the name was rebound)'}, "
                               f"loss = {float(ns['loss']):.4g}")


gt.main()
