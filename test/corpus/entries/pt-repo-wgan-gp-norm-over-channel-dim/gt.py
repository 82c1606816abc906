import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
from torch.autograd import Variable
from torch import autograd


@gt.case("pt-repo-wgan-gp-norm-over-channel-dim")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "Variable": Variable, "autograd": autograd, "EPSILON": 1e-16})
    torch.set_default_dtype(torch.float64)
    critic = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 4, stride=2, padding=1), torch.nn.LeakyReLU(0.2),
                                 torch.nn.Flatten(), torch.nn.Linear(4 * 4 * 4, 1))
    owner = types.SimpleNamespace(critic=critic, image_channel_size=3, image_size=8, _is_on_cuda=lambda: False)
    x, g = torch.rand(5, 3, 8, 8), torch.rand(5, 3, 8, 8)
    torch.manual_seed(3)
    gp = ns["gradient_penalty"](owner, x, g, 10.0)
    # WGAN-GP: lambda * mean over samples of (1 - ||grad_x D(x_hat)||_2)^2, the norm over each whole sample.
    torch.manual_seed(3)
    a = torch.rand(5, 1).expand(5, 3 * 8 * 8).contiguous().view(5, 3, 8, 8)
    xh = (a * x + (1 - a) * g).requires_grad_()
    grads = autograd.grad(critic(xh).sum(), xh)[0]
    ref = 10.0 * ((1 - grads.view(5, -1).norm(2, dim=1)) ** 2).mean()
    err = abs(gp.item() - ref.item()) / ref.item()
    return err > 1e-6, f"penalty with norm over dim=1 (channels) {gp.item():.5g} vs per-sample norm {ref.item():.5g} (rel. diff {err:.3g})"


gt.main()
