import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-stylegan-r1-penalty-loss-scaling-of-itself"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    D = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 8), torch.nn.LeakyReLU(0.2), torch.nn.Linear(8, 1))
    real = torch.randn(4, 3, 2, 2)
    quoted = ns["R1Penalty"](real, D)
    x = real.clone().requires_grad_(True)
    g = torch.autograd.grad(D(x).sum(), x, create_graph=True)[0].view(4, -1)
    r1 = (g * g).sum()
    ratio = float(quoted) / float(r1)
    return abs(ratio - 1) > 1e-3, f"quoted penalty {gt.fmt(float(quoted))} vs R1 {gt.fmt(float(r1))} (ratio {gt.fmt(ratio)})"


gt.main()
