import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-lsd-exact-jacobian-trace-keeps-graph")
def _():
    # LSD trains a critic f: R^d -> R^d on the Stein discrepancy E[s(x)^T f(x) + tr(df/dx)]; the trace term must
    # stay differentiable in the critic's weights (create_graph=True in keep_grad).
    ns = gt.exec_snippet(__file__, {"torch": torch})
    critic = gt.mlp(3, 3)
    x = torch.randn(6, 3, dtype=torch.float64, requires_grad=True)
    tr = ns["exact_jacobian_trace"](critic(x), x)
    # per-sample trace of the Jacobian, computed independently
    ref = torch.stack([torch.trace(torch.autograd.functional.jacobian(critic, xi.detach())) for xi in x])
    err = gt.rel_err(tr, ref)
    # gradient of the mean trace w.r.t. one weight vs a central finite difference
    w = critic[0].weight
    g = torch.autograd.grad(tr.mean(), w)[0][0, 0]
    h = 1e-6

    def mean_trace():
        return float(torch.stack([torch.trace(torch.autograd.functional.jacobian(critic, xi.detach())) for xi in x]).mean())

    with torch.no_grad():
        w[0, 0] += h
    up = mean_trace()
    with torch.no_grad():
        w[0, 0] -= 2 * h
    down = mean_trace()
    with torch.no_grad():
        w[0, 0] += h
    fd = (up - down) / (2 * h)
    werr = abs(float(g) - fd) / max(abs(fd), 1e-12)
    return not (err < 1e-10 and werr < 1e-5), f"trace vs per-sample Jacobian trace rel. err {gt.fmt(err)}; d(mean trace)/dw vs FD rel. err {gt.fmt(werr)}"


gt.main()
