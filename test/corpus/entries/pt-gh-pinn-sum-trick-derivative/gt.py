"""Ground truth for pt-gh-pinn-sum-trick-derivative (correct look-alike): the snippet's Net and f.
f takes u_x and u_t as the gradient of u.sum(); since each row of u depends only on its own row of
(x, t), that is exactly du_i/dx_i. Compared with grad_outputs=ones (the issue's proposed fix) and
with central finite differences of the same network (float64)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pinn-sum-trick-derivative")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    net = ns["Net"]().double()
    x = (torch.rand(200, 1, dtype=torch.float64) * 2).requires_grad_(True)
    t = torch.rand(200, 1, dtype=torch.float64, requires_grad=True)
    pde = ns["f"](x, t, net)
    u = net(x, t)
    u_x = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    u_t = torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u), create_graph=True)[0]
    with_ones = u_x - 2 * u_t - u
    same = float((pde - with_ones).abs().max())

    def u_np(xt):
        with torch.no_grad():
            return net(torch.tensor(xt[:, :1]), torch.tensor(xt[:, 1:])).numpy()

    xt = np.hstack([x.detach().numpy(), t.detach().numpy()])
    fd = gt.fd_gradient(u_np, xt)
    fd_pde = fd[:, :1] - 2 * fd[:, 1:] - u_np(xt)
    err = gt.rel_err(pde, fd_pde)
    return not (same == 0.0 and err < 1e-6), f"max |f (sum trick) - f (ones grad_outputs)| = {gt.fmt(same)}; rel err vs FD {gt.fmt(err)}"


gt.main()
