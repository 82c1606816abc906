import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-pytorch-wgan-gp-batch-global-grad-norm"


@gt.case(CASE)
def _():
    # The quoted loop runs on CUDA with 10x3x128x128 inputs; the reproduction keeps its lines on the CPU
    # with 10x3x16x16 inputs and one iteration.
    torch.manual_seed(0)
    D = nn.Sequential(nn.Conv2d(3, 64, kernel_size=4, stride=2, padding=1), nn.BatchNorm2d(64), nn.LeakyReLU(0.2)).double()
    x = torch.randn(10, 3, 16, 16, dtype=torch.float64, requires_grad=True)
    out = D(x)
    grad = torch.autograd.grad(outputs=out, inputs=x, grad_outputs=torch.ones(out.size(), dtype=torch.float64),
                               retain_graph=True, create_graph=True, only_inputs=True)[0]
    grad_norm = grad.pow(2).sum().sqrt()
    loss = torch.mean((grad_norm - 1) ** 2)
    per_sample = grad.reshape(10, -1).norm(dim=1)
    wgan_gp = torch.mean((per_sample - 1) ** 2)
    err = abs(loss.item() - wgan_gp.item()) / wgan_gp.item()
    return err > 1e-3, f"quoted penalty {gt.fmt(loss.item())} vs per-sample WGAN-GP penalty {gt.fmt(wgan_gp.item())}"


gt.main()
