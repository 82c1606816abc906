"""Ground truth for pt-git-caustics-nfw-where-sqrt-domain: the snippet's NFW._f is differentiated (float64) at x = [0.5, 2.0], one point on each
side of 1, and its gradient compared with central finite differences. The base class ThinLens is
stood in by object (the snippet imports it relatively)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-caustics-nfw-where-sqrt-domain"


@gt.case(CASE)
def _():
    src = open(os.path.join(os.path.dirname(__file__), "snippet.py")).read().replace("from .base import ThinLens", "ThinLens = object")
    ns: dict = {}
    exec(compile(src, "snippet.py", "exec"), ns)
    f = ns["NFW"]._f
    x0 = np.array([0.5, 2.0])
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(x).sum(), x)
    h = 1e-6
    fd = np.array([(f(torch.tensor(x0 + h * e)).sum() - f(torch.tensor(x0 - h * e)).sum()).item() / (2 * h) for e in np.eye(2)])
    finite = bool(torch.isfinite(g).all())
    rel = gt.rel_err(g, fd) if finite else float("nan")
    return not (finite and rel < 1e-5), f"gradient {g.tolist()}, central differences {fd.tolist()}"


gt.main()
