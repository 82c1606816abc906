"""Ground truth for pt-repo-stylegan3-grid-sample-gradfix (correct look-alike): StyleGAN3's custom
grid_sample whose backward is itself differentiable with respect to grad_output. An R1-style
penalty through an augmentation warp (fixed grid): g = d D(grid_sample(x)) / dx with
create_graph=True, penalty = |g|^2, back-propagated into D's weights. With the custom op enabled
this must run (plain F.grid_sample raises 'derivative for grid_sampler_2d_backward is not
implemented' on PyTorch 1.13) and the weight gradient must match central finite differences
(float64)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


@gt.case("pt-repo-stylegan3-grid-sample-gradfix")
def _():
    ns = gt.exec_snippet(__file__)
    ns["enabled"] = True  # the module's switch, as StyleGAN3's training loop sets it
    torch.manual_seed(0)
    D = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.Softplus(), nn.Flatten(), nn.Linear(4 * 6 * 6, 1)).double()
    theta = torch.tensor([[[0.9, 0.2, 0.05], [-0.1, 1.1, 0.0]]], dtype=torch.float64).expand(3, 2, 3)
    grid = F.affine_grid(theta, (3, 2, 6, 6), align_corners=False)
    x = torch.randn(3, 2, 6, 6, dtype=torch.float64)

    def penalty(sample):
        xi = x.clone().requires_grad_(True)
        g, = torch.autograd.grad(D(sample(xi, grid)).sum(), xi, create_graph=True)
        return g.pow(2).sum()

    p = penalty(ns["grid_sample"])
    w = D[0].weight
    ag = torch.autograd.grad(p, w)[0][1, 0, 1, 2].item()
    h = 1e-6
    with torch.no_grad():
        w[1, 0, 1, 2] += h
    up = penalty(ns["grid_sample"]).item()
    with torch.no_grad():
        w[1, 0, 1, 2] -= 2 * h
    down = penalty(ns["grid_sample"]).item()
    with torch.no_grad():
        w[1, 0, 1, 2] += h
    fd = (up - down) / (2 * h)
    rel = abs(ag - fd) / max(abs(fd), 1e-12)
    plain = gt.raises(lambda: torch.autograd.grad(penalty(
        lambda i, g: F.grid_sample(i, g, mode="bilinear", padding_mode="zeros", align_corners=False)), w))
    return not rel < 1e-5, f"penalty weight gradient: autograd {gt.fmt(ag)}, FD {gt.fmt(fd)}, rel err {gt.fmt(rel)}; plain F.grid_sample: {plain}"


gt.main()
