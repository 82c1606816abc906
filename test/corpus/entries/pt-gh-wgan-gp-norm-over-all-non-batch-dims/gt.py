import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-wgan-gp-norm-over-all-non-batch-dims"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    critic = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.Tanh(), nn.Flatten(), nn.Linear(4 * 8 * 8, 1)).double()
    x = torch.rand(5, 3, 8, 8, dtype=torch.float64, requires_grad=True)
    out = critic(x)
    gradients = torch.autograd.grad(out, x, grad_outputs=torch.ones_like(out), create_graph=True)[0]
    ns = gt.exec_snippet(__file__, {"gradients": gradients, "LAMBDA": 10.0})
    ref = ((gradients.view(gradients.size(0), -1).norm(2, dim=1) - 1) ** 2).mean() * 10.0
    got = ns["gradient_penalty"]
    err = abs(got.item() - ref.item())
    return err > 1e-9, f"penalty {gt.fmt(got.item())} vs flattened per-sample penalty {gt.fmt(ref.item())}"


gt.main()
