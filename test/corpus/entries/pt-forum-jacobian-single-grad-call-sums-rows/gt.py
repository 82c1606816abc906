import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-jacobian-single-grad-call-sums-rows"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    q = ns["q"].detach()
    # x = [2 q0, 2 q1, 4 q0^2, 4 q1^2]: its Jacobian w.r.t. q, row by row.
    expected = torch.tensor([[2.0, 0.0], [0.0, 2.0], [8 * q[0], 0.0], [0.0, 8 * q[1]]])
    J1 = ns["J1"]
    err = gt.rel_err(J1, expected)
    return err > 1e-6, f"J1 {J1.detach().tolist()} vs Jacobian {expected.tolist()} (rel err {gt.fmt(err)})"


gt.main()
