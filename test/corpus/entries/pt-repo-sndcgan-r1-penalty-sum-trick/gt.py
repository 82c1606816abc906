import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-repo-sndcgan-r1-penalty-sum-trick")
def _():
    # compute_grad_gp as in the repository: gradient of d_out.sum() w.r.t. the real batch. With a discriminator
    # that treats samples independently (spectral norm, no BatchNorm), that is each sample's own input gradient.
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    D = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.utils.spectral_norm(torch.nn.Linear(12, 8)), torch.nn.LeakyReLU(0.1),
                            torch.nn.utils.spectral_norm(torch.nn.Linear(8, 1))).double()
    D(torch.randn(2, 3, 2, 2, dtype=torch.float64))  # one power iteration, then freeze u (eval) so every call sees the same weight
    D.eval()
    x_in = torch.randn(6, 3, 2, 2, dtype=torch.float64, requires_grad=True)
    d_out = D(x_in)
    pen = ns["compute_grad_gp"](d_out, x_in)
    ref = torch.stack([torch.autograd.grad(D(x_in[i:i + 1]).sum(), x_in, retain_graph=True)[0][i].pow(2).sum() for i in range(6)])
    err = gt.rel_err(pen, ref)
    gw = torch.autograd.grad(pen.mean(), [p for p in D.parameters() if p.requires_grad], allow_unused=True)
    reach = sum(g.abs().sum().item() for g in gw if g is not None)
    return not (err < 1e-10 and reach > 0), f"per-sample R1 term vs own-sample gradient: rel. err {err:.2g}; |d(penalty)/dw|_1 {reach:.3g}"


gt.main()
