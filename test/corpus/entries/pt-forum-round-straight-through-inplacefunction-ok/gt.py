import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd.function import InplaceFunction  # noqa: E402

CASE = "pt-forum-round-straight-through-inplacefunction-ok"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "InplaceFunction": InplaceFunction})
    my_round = ns["my_round_func"].apply
    # Round a network's output and train on it, as the asker wanted: with plain torch.round the weights get a zero
    # gradient; through the quoted Function the gradient is the straight-through one (that of the unrounded output).
    torch.manual_seed(0)
    model = gt.mlp(3, 1)
    x = torch.rand(16, 3, dtype=torch.float64)
    y = torch.randint(0, 5, (16, 1)).double()
    out = model(x)
    loss = ((my_round(out) - y) ** 2).mean()
    g_ste = torch.autograd.grad(loss, list(model.parameters()), retain_graph=True)
    # expected: d/dtheta of mean((round(out) - y)^2) with d round/d out := 1
    r = torch.round(out).detach()
    expected = torch.autograd.grad((2 * (r - y) * out).mean(), list(model.parameters()))
    err = max(gt.rel_err(a, b) for a, b in zip(g_ste, expected))
    plain = torch.autograd.grad(((torch.round(model(x)) - y) ** 2).mean(), list(model.parameters()))
    return err > 1e-9 or gt.norm_of(g_ste) == 0, (
        f"STE grad norm {gt.fmt(gt.norm_of(g_ste))} (rel err vs straight-through {err:.2g}); plain round grad norm {gt.fmt(gt.norm_of(plain))}")


gt.main()
