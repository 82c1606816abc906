import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import numpy as np

CASE = "pt-repo-dfm-lorenz-per-column-second-derivative"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    net = gt.mlp(1, 3)  # t -> (x, y, z) of the Lorenz system, float64 tanh MLP
    t = torch.linspace(0.0, 1.0, 7, dtype=torch.float64).view(-1, 1)
    u, u_t, u_tt = ns["jacobi_t"](net, t)

    def f(tt):
        with torch.no_grad():
            return net(torch.tensor(tt, dtype=torch.float64)).numpy()

    h = 1e-4
    tn = t.detach().numpy()
    fd_t = (f(tn + h) - f(tn - h)) / (2 * h)
    fd_tt = (f(tn + h) - 2 * f(tn) + f(tn - h)) / h ** 2
    e1 = gt.rel_err(u_t, fd_t)
    e2 = gt.rel_err(u_tt, fd_tt)
    # the second derivatives must also reach the weights (create_graph=True on both passes)
    w = net[0].weight
    g = torch.autograd.grad(u_tt.pow(2).sum(), w, allow_unused=True)[0]
    wrong = e1 > 1e-6 or e2 > 1e-4 or g is None or float(g.abs().max()) == 0.0
    return wrong, f"per-column u_t vs finite differences rel err {e1:.2e}, u_tt {e2:.2e}; d(sum u_tt^2)/dW nonzero: {g is not None and float(g.abs().max()) > 0}"


gt.main()
