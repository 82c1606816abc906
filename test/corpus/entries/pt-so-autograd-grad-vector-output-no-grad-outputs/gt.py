import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-so-autograd-grad-vector-output-no-grad-outputs")
def _():
    ns = gt.exec_snippet(__file__)
    err = gt.raises(lambda: torch.autograd.grad(outputs=ns["y"], inputs=ns["x"]))
    assigned = "dy_hat_dx" in ns
    return err is not None and not assigned, f"grad(y, x) with y {tuple(ns['y'].shape)}: {err}; dy_hat_dx assigned: {assigned}"


gt.main()
