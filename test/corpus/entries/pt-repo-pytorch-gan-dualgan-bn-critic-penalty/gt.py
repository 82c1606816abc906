"""Ground truth for pt-repo-pytorch-gan-dualgan-bn-critic-penalty: the snippet's compute_gradient_penalty and the
Discriminator of workspace/implementations/dualgan/models.py (BatchNorm2d, training mode as in the training loop),
run on the CPU with 32x32 images to run in seconds. The penalized gradient of each interpolate (grad_outputs of
ones) is split into the sample's own part and the part that comes from the other samples' outputs through the
batch statistics; the critic in eval mode is the control (no cross part)."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def coupling(D, x):
    x = x.clone().requires_grad_(True)
    out = D(x).view(x.shape[0], -1).sum(1)
    b = out.shape[0]
    jac = torch.stack([torch.autograd.grad(out[j], x, retain_graph=True)[0].view(b, -1) for j in range(b)])
    own = torch.stack([jac[i, i] for i in range(b)]).norm(dim=1)
    cross = torch.stack([jac[:, i].sum(0) - jac[i, i] for i in range(b)]).norm(dim=1)
    return float((cross / own).median())


@gt.case("pt-repo-pytorch-gan-dualgan-bn-critic-penalty")
def _():
    models = {}
    path = os.path.join(HERE, "workspace", "implementations", "dualgan", "models.py")
    exec(compile(open(path, encoding="utf-8").read(), path, "exec"), models)
    # The snippet's penalty function, as written (the module-level training code needs the data set: left out).
    src = open(os.path.join(HERE, "snippet.py"), encoding="utf-8").read()
    fn = re.search(r"def compute_gradient_penalty\(.*?\n    return gradient_penalty\n", src, re.S).group(0)
    ns = {"np": __import__("numpy"), "torch": torch, "autograd": torch.autograd, "Variable": torch.autograd.Variable, "FloatTensor": torch.FloatTensor}
    exec(fn, ns)
    torch.manual_seed(0)
    D = models["Discriminator"]()
    real, fake = torch.randn(8, 3, 32, 32), torch.randn(8, 3, 32, 32)
    gp = ns["compute_gradient_penalty"](D, real, fake)  # runs: the penalty is computed, nothing raises
    x = 0.5 * real + 0.5 * fake
    train = coupling(D, x)
    D.eval()
    control = coupling(D, x)
    return train > 1e-3 and control < 1e-6, (
        f"penalty {gt.fmt(float(gp))}; cross-sample share of each penalized gradient (median): train mode {gt.fmt(train)}, eval mode {gt.fmt(control)}"
    )


gt.main()
