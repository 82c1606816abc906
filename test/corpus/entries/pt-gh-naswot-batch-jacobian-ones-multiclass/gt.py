"""Ground truth for pt-gh-naswot-batch-jacobian-ones-multiclass: the snippet's get_batch_jacobian on a
10-class classifier (a small conv net standing in for the torchvision models of the comment).
y.backward(ones_like(y)) over 10 logits gives, per sample, the gradient of the sum of the logits:
one (C, H, W) map instead of the 10 x (C, H, W) Jacobian the name promises. Measured against the
per-class input gradients: 'jacob' equals their sum and matches none of them."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


@gt.case("pt-gh-naswot-batch-jacobian-ones-multiclass")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.Tanh(), nn.Flatten(), nn.Linear(8 * 8 * 8, 10)).double()
    x = torch.randn(4, 3, 8, 8, dtype=torch.float64)
    jacob, _ = ns["get_batch_jacobian"](net, x.clone(), torch.zeros(4))
    xs = x.clone().requires_grad_(True)
    out = net(xs)
    J = torch.stack([torch.autograd.grad(out[:, k].sum(), xs, retain_graph=True)[0] for k in range(10)], 1)
    err_sum = gt.rel_err(jacob, J.sum(1))
    closest = min(gt.rel_err(jacob, J[:, k]) for k in range(10))
    return err_sum < 1e-10 and closest > 0.1, (f"'jacob' shape {tuple(jacob.shape)} vs Jacobian {tuple(J.shape)}; equals the sum over the 10 "
                                               f"classes to {gt.fmt(err_sum)}; nearest single class row off by {gt.fmt(closest)}")


gt.main()
