import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-style-gan-r1-fresh-variable-before-forward"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    D = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)).double()
    real = torch.randn(4, 3, 2, 2, dtype=torch.float64)
    gp = ns["gradient_penalty_R1"](real, D)
    ref = []
    for b in range(4):
        xb = real[b:b + 1].clone().requires_grad_(True)
        gb = torch.autograd.grad(D(xb).sum(), xb, create_graph=True)[0]
        ref.append(10 * (gb ** 2).sum())
    ref = torch.stack(ref)
    err = gt.rel_err(gp, ref)
    wgrad = torch.autograd.grad(gp.mean(), list(D.parameters()), allow_unused=True)
    wnorm = gt.norm_of([g for g in wgrad if g is not None])
    return err > 1e-10 or wnorm == 0, f"rel err vs per-sample R1 {gt.fmt(err)}; |d penalty / d weights| {gt.fmt(wnorm)}"


gt.main()
