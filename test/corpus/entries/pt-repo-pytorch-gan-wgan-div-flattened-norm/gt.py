"""Ground truth for pt-repo-pytorch-gan-wgan-div-flattened-norm (correct look-alike): the snippet's critic
step run on one MNIST-shaped batch (4, 1, 28, 28) on the CPU, with a small generator for the trimmed one
and the optimizer's lr 0. div_gp is recomputed from the captured gradients with an independent per-sample
norm (torch.linalg.norm over the flattened sample) and compared; a norm over dim=1 is shown to differ."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

IMG = (1, 28, 28)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 28 * 28)

    def forward(self, z):
        return torch.tanh(self.fc(z)).view(z.shape[0], *IMG)


@gt.case("pt-repo-pytorch-gan-wgan-div-flattened-norm")
def _():
    torch.manual_seed(0)
    opt = argparse.Namespace(n_epochs=1, latent_dim=8, lr=0.0, b1=0.5, b2=0.999)
    imgs = torch.rand(4, *IMG) * 2 - 1
    ns = gt.exec_snippet(__file__, {"opt": opt, "cuda": False, "img_shape": IMG, "Generator": Generator,
                                    "dataloader": [(imgs, torch.zeros(4))]})
    rg, fg, k, p = ns["real_grad"], ns["fake_grad"], ns["k"], ns["p"]
    per_sample = lambda g: torch.linalg.norm(g.reshape(g.shape[0], -1), dim=1) ** p  # noqa: E731
    expected = torch.mean(per_sample(rg) + per_sample(fg)) * k / 2
    err = abs(float(ns["div_gp"]) - float(expected)) / max(abs(float(expected)), 1e-30)
    by_dim1 = torch.mean(rg.norm(2, dim=1).flatten(1).mean(1) ** p + fg.norm(2, dim=1).flatten(1).mean(1) ** p) * k / 2
    return err > 1e-5, (f"gradient shape {tuple(rg.shape)}; div_gp {gt.fmt(float(ns['div_gp']))} vs per-sample formula "
                        f"{gt.fmt(float(expected))} (rel err {gt.fmt(err)}); a dim=1 norm would give {gt.fmt(float(by_dim1))}")


gt.main()
