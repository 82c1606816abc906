import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pinn-torch-derivative-ones-like-input"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "PhysicsNN": torch.nn.Module})
    model = gt.mlp(1, 1)
    x = torch.linspace(0, 1, 25, dtype=torch.float64).reshape(-1, 1).requires_grad_(True)
    d1 = ns["derivative"](model, x, 1).detach().numpy().reshape(-1)
    d2 = ns["derivative"](model, x, 2).detach().numpy().reshape(-1)

    def f(xx):
        with torch.no_grad():
            return model(torch.tensor(xx)).numpy().reshape(-1)
    xx = x.detach().numpy()
    fd1 = gt.fd_gradient(f, xx, h=1e-5).reshape(-1)
    h = 1e-4
    fd2 = (f(xx + h) - 2 * f(xx) + f(xx - h)) / h ** 2
    e1, e2 = gt.rel_err(d1, fd1), gt.rel_err(d2, fd2)
    return bool(e1 > 1e-5 or e2 > 1e-3), f"first derivative vs FD rel err {gt.fmt(e1)}, second {gt.fmt(e2)}"


gt.main()
