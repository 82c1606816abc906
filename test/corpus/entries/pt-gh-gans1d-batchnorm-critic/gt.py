"""Ground truth for pt-gh-gans1d-batchnorm-critic: the snippet's Discriminator (BatchNorm1d, train
mode as in the training loop) and its penalty line. The gradient the penalty uses for sample i is
d mean_j D(x_j) / d x_i; with batch statistics it contains terms from the other samples' outputs.
Measured: the full batch Jacobian dD(x_j)/dx_i, the norm of the cross-sample part against the
sample's own part, with the same critic in eval mode (running statistics) as the control."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def coupling(netD, x_p):
    x_p = x_p.clone().requires_grad_(True)
    out = netD(x_p).view(-1)
    b = out.shape[0]
    rows = [torch.autograd.grad(out[j], x_p, retain_graph=True)[0].view(b, -1) for j in range(b)]
    jac = torch.stack(rows)  # jac[j, i] = dD(x_j)/dx_i
    own = torch.stack([jac[i, i] for i in range(b)]).norm(dim=1)
    cross = torch.stack([jac[:, i].sum(0) - jac[i, i] for i in range(b)]).norm(dim=1)
    # what the snippet's line computes, times b (it differentiates the mean)
    snippet_grad = torch.autograd.grad(netD(x_p).mean(), x_p, create_graph=True, retain_graph=True)[0].view(b, -1)
    agree = float((snippet_grad * b - jac.sum(0)).abs().max() / jac.sum(0).abs().max())
    return float((cross / own).median()), agree


@gt.case("pt-gh-gans1d-batchnorm-critic")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    netD = ns["Discriminator"]()
    x_p = torch.randn(8, 1, 1824)
    train_ratio, agree = coupling(netD, x_p)
    netD.eval()
    eval_ratio, _ = coupling(netD, x_p)
    return train_ratio > 1e-3, (
        f"train mode: median |cross-sample part| / |own part| of the per-sample input gradient = "
        f"{gt.fmt(train_ratio)} (snippet's grad line = column sums of the batch Jacobian / 8 to "
        f"{gt.fmt(agree)}); eval mode control: {gt.fmt(eval_ratio)}"
    )


gt.main()
