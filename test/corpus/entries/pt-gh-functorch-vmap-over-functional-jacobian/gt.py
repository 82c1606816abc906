import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-functorch-vmap-over-functional-jacobian")
def _():
    box = {}

    def run():
        box["ns"] = gt.exec_snippet(__file__)

    err = gt.raises(run)
    if err is not None:
        return True, f"vmap(compute_jac_f) with autograd.functional.jacobian inside: {err[:120]}"
    ns = box["ns"]
    e = gt.rel_err(ns["result"], ns["expected"])
    return e > 1e-6, f"vmapped Jacobian vs per-row loop: rel. err {e:.3g}"


gt.main()
