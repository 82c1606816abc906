"""Ground truth for pt-gh-stylegan-r1-penalty-on-real-images: the snippet's r1 lines (the training loop needs the
repository's data set and CUDA, so they run here on CPU with a small discriminator taking step and alpha). The
penalty is compared with 10 / 2 * mean of each image's own squared input-gradient norm, and the discriminator's
parameters must receive a gradient from it (create_graph=True)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.autograd import grad  # noqa: E402


class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(4 * 4 * 4, 1))

    def forward(self, x, step=0, alpha=1.0):
        return self.net(x)


@gt.case("pt-gh-stylegan-r1-penalty-on-real-images")
def _():
    torch.manual_seed(0)
    discriminator = D().double()
    real_image = torch.randn(3, 3, 4, 4, dtype=torch.float64)
    real_image.requires_grad = True
    real_scores = discriminator(real_image, step=0, alpha=1.0)
    real_predict = F.softplus(-real_scores).mean()
    real_predict.backward(retain_graph=True)
    grad_real = grad(outputs=real_scores.sum(), inputs=real_image, create_graph=True)[0]
    grad_penalty = (grad_real.view(grad_real.size(0), -1).norm(2, dim=1) ** 2).mean()
    grad_penalty = 10 / 2 * grad_penalty
    before = [p.grad.clone() for p in discriminator.parameters()]
    grad_penalty.backward()
    moved = max((p.grad - b).abs().max().item() for p, b in zip(discriminator.parameters(), before))
    own = []
    for k in range(3):
        xk = real_image[k:k + 1].detach().clone().requires_grad_(True)
        gk = torch.autograd.grad(discriminator(xk).sum(), xk)[0]
        own.append(gk.pow(2).sum())
    expected = 5 * torch.stack(own).mean()
    err = abs(grad_penalty.item() - expected.item()) / expected.item()
    return err > 1e-10 or moved == 0.0, f"penalty vs per-image R1: relative error {gt.fmt(err)}; parameter gradient change {moved:.3g}"


gt.main()
