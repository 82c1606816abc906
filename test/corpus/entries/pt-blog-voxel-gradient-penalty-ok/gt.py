import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-blog-voxel-gradient-penalty-ok")
def _():
    torch.set_default_dtype(torch.float64)
    ns = gt.exec_snippet(__file__, {"torch": torch})
    disc = torch.nn.Sequential(torch.nn.Conv3d(1, 3, 3, padding=1), torch.nn.Tanh(), torch.nn.Flatten(),
                               torch.nn.Linear(3 * 4 * 4 * 4, 1))
    gen = torch.nn.Sequential(torch.nn.Linear(5, 64), torch.nn.Tanh())
    owner = types.SimpleNamespace(DEVICE=torch.device("cpu"), discriminator=disc, LAMBDA_1=10.0)
    real = torch.rand(4, 1, 4, 4, 4)
    fake = gen(torch.randn(4, 5)).view(4, 1, 4, 4, 4)  # generator output: requires grad, as in training
    torch.manual_seed(1)
    gp = ns["compute_gradient_penalty"](owner, real, fake)
    # Reference: the same interpolation (same e), per-sample input gradients one sample at a time.
    torch.manual_seed(1)
    e = torch.rand((4, 1, 1, 1, 1))
    xs = (e * real + (1 - e) * fake).detach()
    norms = []
    for i in range(4):
        xi = xs[i:i + 1].clone().requires_grad_()
        gi = torch.autograd.grad(disc(xi).sum(), xi, create_graph=True)[0]
        norms.append(torch.sqrt((gi ** 2).sum() + 1e-12))
    ref = 10.0 * ((torch.stack(norms) - 1) ** 2).mean()
    # The penalty must reach the critic's weights (second-order term present).
    wgrad = torch.autograd.grad(gp, list(disc.parameters()), allow_unused=True)  # the last bias cannot enter d/dx
    wnorm = gt.norm_of([g for g in wgrad if g is not None])
    err = abs(gp.item() - ref.item()) / abs(ref.item())
    return err > 1e-9 or wnorm == 0.0, f"GP {gp.item():.6g} vs per-sample reference {ref.item():.6g} (rel. err {err:.2g}); |dGP/dw| = {wnorm:.4g}"


gt.main()
