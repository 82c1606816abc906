import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


def wgrad(loss, net):
    # the last bias does not enter an input gradient: its share is zero (None from autograd)
    gs = torch.autograd.grad(loss, list(net.parameters()), allow_unused=True)
    return [torch.zeros_like(p) if g is None else g for p, g in zip(net.parameters(), gs)]


@gt.case("pt-repo-seismogen-gp-nonleaf-interpolation")
def _():
    # compute_gradient_penalty as quoted, called the way train_simple_gan.py calls it: fake_data is the
    # generator output, not detached, so `interpolation` (never given requires_grad) still has a graph.
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    generator = torch.nn.Sequential(torch.nn.Linear(4, 2 * 3 * 3), torch.nn.Tanh(), torch.nn.Unflatten(1, (2, 3, 3))).double()
    netD = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(18, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)).double()
    real = torch.randn(5, 2, 3, 3, dtype=torch.float64)
    generated = generator(torch.randn(5, 4, dtype=torch.float64))

    torch.manual_seed(1)
    gp = ns["compute_gradient_penalty"](netD, real_data=real, fake_data=generated)
    gp_grad_w = wgrad(gp, netD)

    # reference: the same eps, interpolation rebuilt as a fresh leaf, per-sample input gradient
    torch.manual_seed(1)
    eps = torch.rand(5, 1, 1, 1).expand_as(real)
    leaf = (eps * real + (1 - eps) * generated).detach().requires_grad_(True)
    g = torch.autograd.grad(netD(leaf).sum(), leaf, create_graph=True)[0].view(5, -1)
    ref = torch.mean((g.norm(2, 1) - 1) ** 2)
    ref_grad_w = wgrad(ref, netD)
    err = abs(gp.item() - ref.item()) / abs(ref.item())
    werr = max(gt.rel_err(a, b) for a, b in zip(gp_grad_w, ref_grad_w))
    share = gt.norm_of(gp_grad_w)
    return not (err < 1e-10 and werr < 1e-10 and share > 0), f"penalty rel. err {err:.2g}; d(penalty)/dw rel. err {werr:.2g}; |d(penalty)/dw| {share:.3g}"


gt.main()
