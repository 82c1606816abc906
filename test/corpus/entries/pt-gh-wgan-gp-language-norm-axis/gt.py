"""Ground truth for pt-gh-wgan-gp-language-norm-axis: the snippet's calc_gradient_penalty with its own
Discriminator (ResBlocks, Conv1d) on one-hot-like sequences of shape (BATCH, SEQ_LEN, len(charmap)).
The gradients keep that rank-3 shape, so norm(2, dim=1) runs over the sequence positions, one norm
per (sample, character). Compared with the per-sample WGAN-GP penalty on the same interpolates.
Sizes are reduced (DIM 16, SEQ_LEN 8, 10 characters, batch 4) to run on the CPU in seconds."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-wgan-gp-language-norm-axis")
def _():
    names = {"DIM": 16, "SEQ_LEN": 8, "charmap": list("abcdefghij"), "BATCH_SIZE": 4, "LAMBDA": 10,
             "use_cuda": False, "gpu": 0}
    ns = gt.exec_snippet(__file__, names)
    torch.manual_seed(0)
    D = ns["Discriminator"]()
    g = torch.Generator().manual_seed(1)
    real = torch.softmax(torch.randn(4, 8, 10, generator=g) * 3, -1)
    fake = torch.softmax(torch.randn(4, 8, 10, generator=g), -1)
    torch.manual_seed(7)
    penalty = float(ns["calc_gradient_penalty"](D, real, fake))
    torch.manual_seed(7)
    alpha = torch.rand(4, 1, 1)
    x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    grads = torch.autograd.grad(D(x).sum(), x)[0]
    true_penalty = float(((grads.reshape(4, -1).norm(2, dim=1) - 1) ** 2).mean() * 10)
    rel = abs(penalty - true_penalty) / max(true_penalty, 1e-12)
    return rel > 0.01, (f"snippet's penalty {gt.fmt(penalty)} (norm(dim=1) shape {tuple(grads.norm(2, dim=1).shape)}) "
                        f"vs per-sample penalty {gt.fmt(true_penalty)}")


gt.main()
