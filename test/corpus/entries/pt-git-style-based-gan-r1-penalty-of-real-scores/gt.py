import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.nn import functional as F  # noqa: E402
from torch.autograd import grad  # noqa: E402

CASE = "pt-git-style-based-gan-r1-penalty-of-real-scores"


@gt.case(CASE)
def _():
    # Reproduction of the quoted r1 branch (the training loop needs a GPU and a data set): a small critic,
    # a batch of real images, the same lines, compared with R1's definition gamma/2 * E ||grad_x D(x)||^2.
    torch.manual_seed(0)
    discriminator = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3), torch.nn.LeakyReLU(0.2), torch.nn.Flatten(), torch.nn.Linear(4 * 6 * 6, 1)
    ).double()
    real_image = torch.rand(8, 3, 8, 8, dtype=torch.float64)

    real_image.requires_grad = True
    real_scores = discriminator(real_image)
    real_predict = F.softplus(-real_scores).mean()
    real_predict.backward(retain_graph=True)
    grad_real = grad(outputs=real_scores.sum(), inputs=real_image, create_graph=True)[0]
    grad_penalty = (grad_real.view(grad_real.size(0), -1).norm(2, dim=1) ** 2).mean()
    grad_penalty = 10 / 2 * grad_penalty

    x = real_image.detach().requires_grad_(True)
    g = grad(discriminator(x).sum(), x)[0]
    r1 = 10 / 2 * (g.view(g.size(0), -1).norm(2, dim=1) ** 2).mean()
    rel = abs(float(grad_penalty) - float(r1)) / float(r1)
    return rel > 1e-9, f"penalty {gt.fmt(float(grad_penalty))} vs R1 of the critic scores {gt.fmt(float(r1))} (rel diff {gt.fmt(rel)})"


gt.main()
