"""Ground truth for pt-gh-option-gamma-hessian-row-sum: the snippet's compute_gamma runs on the CPU
(its text with '.cuda()' removed, no GPU here) with a stand-in pricing network of the notebook's
shape (6 inputs: K, B, S, sigma, mu, r; softplus MLP, float32). Gamma is d2V/dS2; differentiating
the whole gradient with ones gives the S-row sum of the Hessian, sum_j d2V/dS dx_j. Compared with
the Hessian entry (2, 2) from torch.autograd.functional.hessian and with central finite
differences of the price in S."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


@gt.case("pt-gh-option-gamma-hessian-row-sum")
def _():
    torch.manual_seed(0)
    scale = torch.tensor([200.0, 200.0, 200.0, 0.4, 0.2, 0.2])
    net = nn.Sequential(nn.Linear(6, 32), nn.Softplus(), nn.Linear(32, 32), nn.Softplus(), nn.Linear(32, 1))
    model = lambda inp: net(inp / scale)  # noqa: E731 - inputs scaled like the notebook's normalized features
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    ns = {"model": model}
    exec(compile(open(path, encoding="utf-8").read().replace(".cuda()", ""), path, "exec"), ns)
    S = 120.0
    gamma = float(ns["compute_gamma"](S))
    inp = torch.tensor([110.0, 100.0, S, 0.35, 0.1, 0.05], dtype=torch.float64)
    net64 = net.double()
    H = torch.autograd.functional.hessian(lambda v: net64(v / scale.double()).sum(), inp)
    true_gamma = float(H[2, 2])
    h = 0.5
    price = lambda s: float(net64(torch.tensor([110.0, 100.0, s, 0.35, 0.1, 0.05], dtype=torch.float64) / scale.double()))  # noqa: E731
    fd = (price(S + h) - 2 * price(S) + price(S - h)) / h ** 2
    rel = abs(gamma - true_gamma) / abs(true_gamma)
    return rel > 0.01, (f"compute_gamma {gt.fmt(gamma)} vs d2V/dS2 {gt.fmt(true_gamma)} (FD {gt.fmt(fd)}); "
                        f"S-row sum of the Hessian {gt.fmt(float(H[2].sum()))}")


gt.main()
