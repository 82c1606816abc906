import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-iwae-importance-weights-not-detached"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"BaseVAE": torch.nn.Module})
    model = ns["IWAE"]()
    model.num_samples = 5
    B, S, D = 3, 5, 4
    x = torch.rand(B, 1, 4, 4, dtype=torch.float64)
    recons = torch.rand(B, S, 1, 4, 4, dtype=torch.float64, requires_grad=True)
    mu = torch.randn(B, S, D, dtype=torch.float64, requires_grad=True)
    log_var = (0.3 * torch.randn(B, S, D, dtype=torch.float64)).requires_grad_(True)
    z = torch.randn(B, S, D, dtype=torch.float64)
    out = model.loss_function(recons, x, mu, log_var, z, z, M_N=0.5)
    g_quoted = torch.autograd.grad(out["loss"], [recons, mu, log_var])
    # the importance-weighted gradient of the same weights: softmax(w) treated as constants
    xin = x.repeat(S, 1, 1, 1, 1).permute(1, 0, 2, 3, 4)
    lw = ((recons - xin) ** 2).flatten(2).mean(-1) + 0.5 * (-0.5 * torch.sum(1 + log_var - mu ** 2 - log_var.exp(), dim=2))
    ref = torch.mean(torch.sum(torch.softmax(lw, -1).detach() * lw, dim=-1), dim=0)
    g_ref = torch.autograd.grad(ref, [recons, mu, log_var])
    errs = [gt.rel_err(a, b) for a, b in zip(g_quoted, g_ref)]
    worst = max(errs)
    return worst > 1e-3, f"relative error of the quoted gradient vs the detached-weights estimator: {worst:.3g}"


gt.main()
