"""Ground truth for pt-git-perceptrain-r3-pde-grad-then-column: the fixed evaluate_pde (the derivative with respect to
the whole point, then its columns), run with a small tanh network on points made by the snippet's interior_uniform:
dudt + beta * dudx equals central finite differences of the network. The library's FFNN/PINN import is dropped
(perceptrain is not installed here) and main() is not run."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-git-perceptrain-r3-pde-grad-then-column")
def _():
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        text = fh.read()
    ns = {"__name__": "snippet"}
    exec(compile(text.replace("from perceptrain.models import FFNN, PINN\n", ""), "snippet.py", "exec"), ns)  # noqa: S102
    model = gt.mlp(2, 1).double()
    x = ns["interior_uniform"](6).double().detach().requires_grad_(True)
    res = ns["evaluate_pde"](x, model, beta=2.0).detach()
    h = 1e-6
    e_t = torch.tensor([h, 0.0], dtype=torch.float64)
    e_x = torch.tensor([0.0, h], dtype=torch.float64)
    with torch.no_grad():
        xd = x.detach()
        fd_t = (model(xd + e_t) - model(xd - e_t))[:, 0] / (2 * h)
        fd_x = (model(xd + e_x) - model(xd - e_x))[:, 0] / (2 * h)
    err = gt.rel_err(res, fd_t + 2.0 * fd_x)
    return err > 1e-5, f"residual vs finite differences: rel err {gt.fmt(err)}"


gt.main()
