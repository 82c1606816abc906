import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-so-jacobian-onehot-backward-zero-grad-ok"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    J = ns["J"]
    err = gt.rel_err(J, 2 * torch.eye(3))
    return err > 1e-6, f"J vs analytic 2*I: rel err {err:.3g}"


gt.main()
