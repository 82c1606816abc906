import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-langevin-dynamics-sample-grad-accumulates"


@gt.case(CASE)
def _():
    # The snippet's class, with its relative import of the package's pSGLD optimizer replaced by torch.optim.SGD
    # (same call signature; pSGLD adds preconditioned noise to the step, which does not change which gradient
    # the step reads). The density is the repository's Gaussian example: nl_pdf(x) = 0.5 (x-mu)^T P (x-mu).
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        src = fh.read().replace("from .precondSGLD import pSGLD\n", "")
    ns = {"pSGLD": torch.optim.SGD}
    exec(compile(src, "snippet.py", "exec"), ns)
    mu = torch.tensor([1.2, 0.6], dtype=torch.float64)
    cov = torch.tensor([[1.3, 0.9], [0.9, 1.3]], dtype=torch.float64)
    precision = torch.inverse(cov)

    def nl_pdf(x):
        return 0.5 * (x - mu) @ precision @ (x - mu)

    x = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    sampler = ns["LangevinDynamics"](x, nl_pdf, lr=1e-1, lr_final=4e-2, max_itr=100)
    for _ in range(3):
        before = x.detach().clone()
        sampler.sample()
    # The step just taken should have used the gradient of nl_pdf at the point it started from.
    expected = precision @ (before - mu)
    err = gt.rel_err(x.grad, expected)
    return err > 1e-8, f"x.grad after 3 samples vs gradient at the last point: rel err {gt.fmt(err)}"


gt.main()
