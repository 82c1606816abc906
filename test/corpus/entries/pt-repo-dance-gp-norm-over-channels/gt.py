import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-repo-dance-gp-norm-over-channels")
def _():
    # CPU reproduction of the penalty lines (the method calls .cuda()): image-shaped gradients (N, C, H, W) of a
    # conv critic w.r.t. the interpolates, then ((gradients.norm(2, dim=1) - 1) ** 2).mean() as in the code,
    # versus the WGAN-GP penalty on each sample's full gradient norm.
    torch.manual_seed(0)
    D = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.Tanh(), torch.nn.Flatten(), torch.nn.Linear(4 * 8 * 8, 1)).double()
    real, fake = torch.randn(5, 3, 8, 8, dtype=torch.float64), torch.randn(5, 3, 8, 8, dtype=torch.float64)
    alpha = torch.rand(5, 1, 1, 1, dtype=torch.float64).expand(real.size())
    interpolates = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    pred = D(interpolates)
    gradients = torch.autograd.grad(outputs=pred, inputs=interpolates, grad_outputs=torch.ones(pred.size(), dtype=torch.float64),
                                    create_graph=True, retain_graph=True, only_inputs=True)[0]
    quoted = ((gradients.norm(2, dim=1) - 1) ** 2).mean()
    per_sample = ((gradients.view(5, -1).norm(2, dim=1) - 1) ** 2).mean()
    shape = tuple(gradients.norm(2, dim=1).shape)
    rel = abs(quoted.item() - per_sample.item()) / abs(per_sample.item())
    return rel > 1e-3, f"norm over dim 1 has shape {shape} (per pixel, over channels only); penalty {quoted.item():.4g} vs per-sample WGAN-GP {per_sample.item():.4g}"


gt.main()
