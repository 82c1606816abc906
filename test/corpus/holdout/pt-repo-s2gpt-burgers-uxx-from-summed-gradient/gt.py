import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-repo-s2gpt-burgers-uxx-from-summed-gradient"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    net = gt.mlp(2, 1)
    xt = torch.rand(20, 2, dtype=torch.float64).requires_grad_()
    out = net(xt)
    _, _, out_xx = ns["derivatives"](xt, out)

    # Reference: u_xx from the exact per-point Hessian (column 0 = x, column 1 = t).
    ref = []
    for p in xt.detach():
        H = torch.autograd.functional.hessian(lambda q: net(q.view(1, 2)).sum(), p)
        ref.append(H[0, 0])
    ref = torch.stack(ref).view(-1, 1)
    err = gt.rel_err(out_xx.detach(), ref)
    return err > 1e-6, f"out_xx vs exact u_xx: relative error {err:.3g} (the snippet's column is u_xx + u_tx)"


gt.main()
