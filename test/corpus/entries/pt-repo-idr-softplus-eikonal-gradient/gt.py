"""Ground truth for pt-repo-idr-softplus-eikonal-gradient (correct look-alike): IDR's ImplicitNetwork
(geometric init, weight norm, Softplus(beta=100) instead of ReLU, so the SDF is twice
differentiable) and its gradient() used by the eikonal loss. Checked in float64: the SDF gradient
against central finite differences in x, and the eikonal loss's gradient with respect to one weight
(the weight-norm direction v) against finite differences in that weight."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-repo-idr-softplus-eikonal-gradient")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    net = ns["ImplicitNetwork"](feature_vector_size=4, d_in=3, d_out=1, dims=[32, 32], skip_in=(), multires=0).double()
    x = torch.rand(16, 3, dtype=torch.float64) * 1.6 - 0.8
    g = net.gradient(x.clone())[:, 0, :]
    sdf = lambda p: net(torch.tensor(p))[:, 0].detach().numpy()  # noqa: E731
    err_x = gt.rel_err(g, gt.fd_gradient(sdf, x.numpy()))

    def eikonal():
        gr = net.gradient(x.clone())[:, 0, :]
        return ((gr.norm(2, dim=-1) - 1) ** 2).mean()

    v = net.lin1.weight_v
    ag = torch.autograd.grad(eikonal(), v)[0][3, 5].item()
    h = 1e-6
    with torch.no_grad():
        v[3, 5] += h
    up = eikonal().item()
    with torch.no_grad():
        v[3, 5] -= 2 * h
    down = eikonal().item()
    with torch.no_grad():
        v[3, 5] += h
    fd = (up - down) / (2 * h)
    rel = abs(ag - fd) / max(abs(fd), 1e-12)
    return not (err_x < 1e-6 and rel < 1e-5), (f"SDF gradient vs FD: rel err {gt.fmt(err_x)}; d eikonal / d v[3,5]: autograd {gt.fmt(ag)}, "
                                               f"FD {gt.fmt(fd)}, rel err {gt.fmt(rel)}")


gt.main()
