import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-gs-wgan-penalty-flat-input-per-sample-norm"


@gt.case(CASE)
def _():
    # The snippet's `from ops import SpectralNorm` is the repository's module: the case builds the critic
    # without it (if_SN=False), which the snippet's own branch supports.
    import types
    sys.modules.setdefault("ops", types.SimpleNamespace(SpectralNorm=lambda m: m))
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    D = ns["DiscriminatorDCGAN"](model_dim=4, num_classes=10, if_SN=False)
    real = torch.rand(6, 784)
    fake = torch.rand(6, 784)
    y = torch.randint(0, 10, (6,))
    torch.manual_seed(1)
    penalty = D.calc_gradient_penalty(real, fake, y, 10.0, "cpu")
    torch.manual_seed(1)
    alpha = torch.rand(6, 1)
    x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    g = torch.autograd.grad(D(x, y).sum(), x)[0]
    ref = ((g.reshape(6, -1).norm(2, dim=1) - 1) ** 2).mean() * 10.0
    err = abs(penalty.item() - ref.item()) / max(ref.item(), 1e-12)
    return err > 1e-5, f"penalty {gt.fmt(penalty.item())} vs per-sample WGAN-GP penalty {gt.fmt(ref.item())}"


gt.main()
