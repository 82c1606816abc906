"""Ground truth for pt-repo-wgan-gp-instancenorm-critic (correct look-alike): the critic normalizes with
InstanceNorm2d (per sample) instead of BatchNorm, in train mode as during training. The per-sample
input gradient that calculate_gradient_penalty uses (grad_outputs of ones) must have no part coming
from other samples (cross-sample Jacobian = 0), and the snippet's penalty must equal the per-sample
WGAN-GP penalty on the same interpolates."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-wgan-gp-instancenorm-critic")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    D = ns["Discriminator"](1).double()
    D.train()
    model = ns["WGAN_GP"].__new__(ns["WGAN_GP"])
    model.D, model.batch_size, model.cuda, model.lambda_term = D, 4, False, 10
    g = torch.Generator().manual_seed(1)
    real = torch.rand(4, 1, 32, 32, generator=g, dtype=torch.float64) * 2 - 1
    fake = torch.rand(4, 1, 32, 32, generator=g, dtype=torch.float64) * 2 - 1
    torch.manual_seed(5)
    penalty = float(model.calculate_gradient_penalty(real, fake))
    torch.manual_seed(5)
    eta = torch.FloatTensor(4, 1, 1, 1).uniform_(0, 1).double()
    x = (eta * real + (1 - eta) * fake).requires_grad_(True)
    out = D(x).view(-1)
    jac = torch.stack([torch.autograd.grad(out[j], x, retain_graph=True)[0].view(4, -1) for j in range(4)])
    own = torch.stack([jac[i, i] for i in range(4)])
    cross = torch.stack([jac[:, i].sum(0) - jac[i, i] for i in range(4)])
    ratio = float(cross.norm() / own.norm())
    true_penalty = float(((own.norm(dim=1) - 1) ** 2).mean() * 10)
    rel = abs(penalty - true_penalty) / max(true_penalty, 1e-12)
    ok = ratio < 1e-10 and rel < 1e-8
    return not ok, (f"|cross-sample part| / |own part| of the input gradient = {gt.fmt(ratio)}; snippet's penalty "
                    f"{gt.fmt(penalty)} vs per-sample penalty {gt.fmt(true_penalty)} (rel {gt.fmt(rel)})")


gt.main()
