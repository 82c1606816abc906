"""Ground truth for pt-gh-pytorch-monte-carlo-max-hessian-zero: the snippet runs as posted (prints
captured): a Monte-Carlo mean of max(max_i x_i Z_i, k) over 10^6 fixed draws. Each sample is piecewise
linear in x, so autograd's Hessian is exactly zero, while the expectation the asker differentiates
is curved: central second differences with a step of 0.05 on the same draws (common random numbers,
step much larger than the spacing of the kinks) give its Hessian."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-monte-carlo-max-hessian-zero")
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__)
    h = ns["h"]
    torch.manual_seed(42)
    Z = torch.exp(torch.randn(2, 1000000, dtype=torch.float64))
    k = torch.tensor(0.1, dtype=torch.float64)

    def f(x):
        return float(torch.mean(torch.max(torch.max(x.reshape([2, 1]) * Z, dim=0)[0], k)))

    x0 = torch.tensor([1.0, 2.0], dtype=torch.float64)
    step = 0.05
    e = torch.eye(2, dtype=torch.float64) * step
    H = torch.zeros(2, 2, dtype=torch.float64)
    for i in range(2):
        for j in range(2):
            H[i, j] = (f(x0 + e[i] + e[j]) - f(x0 + e[i] - e[j]) - f(x0 - e[i] + e[j]) + f(x0 - e[i] - e[j])) / (4 * step * step)
    return bool((h == 0).all()) and float(H.abs().max()) > 1e-3, (
        f"autograd Hessian {h.tolist()}; second differences of the Monte-Carlo mean (step 0.05) {[[round(v, 4) for v in r] for r in H.tolist()]}")


gt.main()
