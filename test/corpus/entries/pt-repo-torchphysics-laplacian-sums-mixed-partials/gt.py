import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torchphysics-laplacian-sums-mixed-partials"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    net = gt.mlp(2, 1, dtype=torch.float32)
    x = torch.rand(16, 2, requires_grad=True)
    got = ns["laplacian"](net(x), x)
    want = []
    for k in range(16):
        h = torch.autograd.functional.hessian(lambda p: net(p[None])[0, 0], x[k].detach())
        want.append(torch.trace(h))
    want = torch.stack(want).view(-1, 1)
    err = gt.rel_err(got, want)
    return err > 1e-4, f"laplacian() vs the trace of each point's Hessian: rel err {err:.3g}"


gt.main()
