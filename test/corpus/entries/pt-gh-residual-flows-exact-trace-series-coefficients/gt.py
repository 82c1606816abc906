import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-residual-flows-exact-trace-series-coefficients"


@gt.case(CASE)
def _():
    # The quoted _logdetgrad on a block configured for the exact-trace branch with a truncated series
    # (training, n_power_series=30), as iResBlock(exact_trace=True, n_power_series=30) runs it; the residual
    # net is a small contractive tanh MLP (Lipschitz < 1, as residual flows require).
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    net = gt.mlp(3, 3, width=8)
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(0.9)
    block = SimpleNamespace(nnet=net, training=True, brute_force=False, n_dist="geometric",
                            geom_p=torch.tensor(0.5), n_power_series=30, exact_trace=True)
    x = torch.randn(5, 3, dtype=torch.float64)
    _, logdet = ns["iResBlock"]._logdetgrad(block, x)
    jac = ns["batch_jacobian"](net(x.requires_grad_(True)), x).detach()
    exact = torch.linalg.slogdet(torch.eye(3, dtype=torch.float64) + jac)[1]
    e = gt.rel_err(logdet.view(-1), exact)
    return e > 1e-3, f"log|det(I+J)| of the block vs torch.slogdet: rel err {gt.fmt(e)} (spectral norm of J {gt.fmt(float(torch.linalg.matrix_norm(jac, 2).max()))})"


gt.main()
