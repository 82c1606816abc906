import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-argmin-implicit-gradient-singular-hessian"


@gt.case(CASE)
def _():
    # The snippet runs as quoted (it builds its own network and data). Either the inversion of the singular
    # Hessian raises, or it returns an estimate that is compared here with the finite difference of the argmin.
    ns = {}
    err = gt.raises(lambda: ns.update(gt.exec_snippet(__file__)))
    torch.set_default_dtype(torch.float64)
    if err is not None:
        return True, f"IFT step raised {err}"
    f, x_star, est = ns["f"], ns["x_star"], ns["d_x_d_th"][:, 0]

    def argmin(delta):
        g = __import__("copy").deepcopy(f)
        with torch.no_grad():
            g[0].weight[0, 0] += delta
        x = torch.zeros(3, requires_grad=True)
        opt = torch.optim.Adam([x], lr=0.5)
        for _ in range(350):
            opt.zero_grad()
            g(x).sum().backward()
            opt.step()
        return x.detach()

    h = 1e-4
    fd = (argmin(h) - argmin(-h)) / (2 * h)
    return gt.rel_err(est, fd) > 0.5, f"IFT {est.tolist()} vs finite difference {fd.tolist()}"


gt.main()
