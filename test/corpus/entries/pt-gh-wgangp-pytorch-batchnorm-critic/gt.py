"""Ground truth for pt-gh-wgangp-pytorch-batchnorm-critic: the snippet's Discriminator (BatchNorm2d,
train mode as during critic updates) on a batch of 8 interpolates. The gradient that
calculate_gradient_penalty takes for sample i (grad_outputs of ones = d sum_j D(x_j) / d x_i) is
split into the sample's own part and the part coming from the other samples' outputs; eval mode
(running statistics) is the control. The snippet's calculate_gradient_penalty is also run."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def coupling(netD, x):
    x = x.clone().requires_grad_(True)
    out = netD(x)
    b = out.shape[0]
    jac = torch.stack([torch.autograd.grad(out[j], x, retain_graph=True)[0].view(b, -1) for j in range(b)])
    own = torch.stack([jac[i, i] for i in range(b)]).norm(dim=1)
    cross = torch.stack([jac[:, i].sum(0) - jac[i, i] for i in range(b)]).norm(dim=1)
    return float((cross / own).median())


@gt.case("pt-gh-wgangp-pytorch-batchnorm-critic")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    netD = ns["Discriminator"]()
    real, fake = torch.rand(8, 3, 64, 64) * 2 - 1, torch.rand(8, 3, 64, 64) * 2 - 1
    gp = ns["calculate_gradient_penalty"](netD, real, fake, torch.device("cpu"))
    x = 0.5 * real + 0.5 * fake
    train_ratio = coupling(netD, x)
    netD.eval()
    eval_ratio = coupling(netD, x)
    return train_ratio > 1e-3, (
        f"snippet's penalty {gt.fmt(float(gp))}; train mode: median |cross-sample part| / |own part| of "
        f"the per-sample input gradient = {gt.fmt(train_ratio)}; eval mode control: {gt.fmt(eval_ratio)}"
    )


gt.main()
