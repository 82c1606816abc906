import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-jacobian-christoffels-no-create-graph"


@gt.case(CASE)
def _():
    # The issue differentiates christoffels once more (gamma_derivative) at a base point; as written there.
    ns = gt.exec_snippet(__file__)
    christoffels = ns["christoffels"]
    base_point = torch.tensor([0.7, 1.3], dtype=torch.float64)
    gamma_derivative = torch.autograd.functional.jacobian(christoffels, base_point)
    h = 1e-6
    fd = torch.stack([(christoffels(base_point + h * e) - christoffels(base_point - h * e)) / (2 * h)
                      for e in torch.eye(2, dtype=torch.float64)], dim=-1)
    e = gt.rel_err(gamma_derivative, fd)
    return e > 1e-4, (f"d(Gamma)/dx by jacobian vs finite differences: rel err {gt.fmt(e)}; entry [0,0,0,0] "
                      f"{gt.fmt(float(gamma_derivative[0, 0, 0, 0]))} vs {gt.fmt(float(fd[0, 0, 0, 0]))} (-1/x0^2 = "
                      f"{gt.fmt(-1 / 0.7 ** 2)})")


gt.main()
