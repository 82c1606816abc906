"""Ground truth for pt-blog-rod-heat-pinn-relu-hard-bc-multiplier (look-alike): the snippet runs with epochs = 2.
Then, at fresh points, T_xx from the snippet's d2Tdx2 is compared with -2 N + 2 (L - 2x) N' (N the ReLU network,
N' its first derivative by autograd), checked non-zero, and the residual loss's gradient with respect to the
network's weights is checked non-zero. The network's own second derivative N'' is measured too (zero)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-blog-rod-heat-pinn-relu-hard-bc-multiplier")
def _():
    torch.manual_seed(0)
    src = open(os.path.join(HERE, "snippet.py"), encoding="utf-8").read().replace("epochs = 5000", "epochs = 2")
    ns = {"__name__": "snippet"}
    try:
        exec(compile(src, "snippet.py", "exec"), ns)
    finally:
        torch.set_default_dtype(torch.float32)
    model, net, L = ns["PINN_model"], ns["solution_network"], ns["L"]
    x = (torch.rand(64, 1, dtype=torch.float64) * L).requires_grad_(True)
    T = model(x)
    T_xx = ns["d2Tdx2"](T, x)
    N = net(x)
    N_x = torch.autograd.grad(N, x, torch.ones_like(N), create_graph=True)[0]
    N_xx = torch.autograd.grad(N_x, x, torch.ones_like(N_x), allow_unused=True)[0]
    expected = -2 * N + 2 * (L - 2 * x) * N_x
    err = gt.rel_err(T_xx, expected)
    residual = T_xx - ns["k"] * (T - ns["T_infty"])
    loss = (residual ** 2).mean()
    g = torch.autograd.grad(loss, list(net.parameters()), allow_unused=True)
    gn = gt.norm_of([z for z in g if z is not None])
    nxx = 0.0 if N_xx is None else N_xx.abs().max().item()
    biggest = T_xx.abs().max().item()
    return not (biggest > 0 and err < 1e-8 and gn > 0), (
        f"max |T_xx| = {gt.fmt(biggest)}, vs -2N + 2(L-2x)N': rel err {gt.fmt(err)}; max |N''| = {gt.fmt(nxx)}; "
        f"|d loss/d weights| = {gt.fmt(gn)}")


gt.main()
