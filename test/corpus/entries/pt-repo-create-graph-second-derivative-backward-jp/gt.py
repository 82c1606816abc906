import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-create-graph-second-derivative-backward-jp"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    x = ns["x"]
    err_one = abs(float(x.grad) - 6.0 * float(x))
    # the same lines at other points (x.grad must be d2(x^3)/dx2 = 6x, not the first derivative 3x^2)
    errs = []
    for v in (-1.3, 0.4, 2.5):
        xv = torch.tensor([v], dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad((xv * xv * xv).sum(), xv, create_graph=True)
        g.backward()
        errs.append(abs(float(xv.grad) - 6.0 * v))
    worst = max([err_one] + errs)
    return worst > 1e-6, f"x.grad {float(x.grad):.4g} vs 6x {6.0 * float(x):.4g}; max |x.grad - 6x| {worst:.3g}"


gt.main()
