import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-jacobian-tutorial-zero-x-grad"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    j = ns["j"]
    # analytic Jacobian of k(x) = (x0^2 + 3 x1, x1^2 + 2 x0) at x = (2, 3): rows dk0/dx = (4, 3), dk1/dx = (2, 6)
    rows = torch.tensor([[4.0, 3.0], [2.0, 6.0]])
    expected = rows  # the quoted code stores gradient i in row j[i]
    err = gt.rel_err(j, expected)
    return err > 1e-6, f"quoted j = {j.tolist()}, analytic {expected.tolist()}, relative error {err:.3g}"


gt.main()
