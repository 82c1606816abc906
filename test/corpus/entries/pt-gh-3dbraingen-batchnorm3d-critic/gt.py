"""Ground truth for pt-gh-3dbraingen-batchnorm3d-critic: the snippet's 3D critic (BatchNorm3d, train
mode as in the training loop) and its calc_gradient_penalty, run on the CPU: the text is executed
with '.cuda()' removed (no GPU here), the critic built with channel=16 and 32^3 volumes (instead of
512 and 64^3) to run in seconds. The per-sample input gradient (grad_outputs of ones) is split into
the sample's own part and the part coming from the other samples through the batch statistics;
eval mode is the control."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def coupling(D, x):
    x = x.clone().requires_grad_(True)
    out = D(x).view(-1)
    b = out.shape[0]
    jac = torch.stack([torch.autograd.grad(out[j], x, retain_graph=True)[0].view(b, -1) for j in range(b)])
    own = torch.stack([jac[i, i] for i in range(b)]).norm(dim=1)
    cross = torch.stack([jac[:, i].sum(0) - jac[i, i] for i in range(b)]).norm(dim=1)
    return float((cross / own).median())


@gt.case("pt-gh-3dbraingen-batchnorm3d-critic")
def _():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    ns = {"LAMBDA": 10}
    exec(compile(open(path, encoding="utf-8").read().replace(".cuda()", ""), path, "exec"), ns)
    torch.manual_seed(0)
    D = ns["Discriminator"](channel=16)
    g = torch.Generator().manual_seed(1)
    real, fake = torch.rand(4, 1, 32, 32, 32, generator=g), torch.rand(4, 1, 32, 32, 32, generator=g)
    gp = float(ns["calc_gradient_penalty"](D, real, fake))
    x = 0.5 * real + 0.5 * fake
    train_ratio = coupling(D, x)
    D.eval()
    eval_ratio = coupling(D, x)
    return train_ratio > 1e-3, (f"snippet's penalty {gt.fmt(gp)}; train mode: median |cross-sample part| / |own part| "
                                f"of the per-sample input gradient = {gt.fmt(train_ratio)}; eval mode control: {gt.fmt(eval_ratio)}")


gt.main()
