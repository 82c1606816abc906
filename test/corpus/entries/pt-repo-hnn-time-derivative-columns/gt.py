"""Ground truth for pt-repo-hnn-time-derivative-columns (correct look-alike): the Hamiltonian Neural
Network's time_derivative (solenoidal field). The network has two outputs; forward() splits them
into single columns and each is differentiated on its own (F2.sum() with create_graph=True), then
mapped by the symplectic matrix. Checked in float64 against central finite differences of the same
network's second output, and by training on a harmonic oscillator (dq/dt = p, dp/dt = -q): the
derivative loss must fall by a large factor."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


@gt.case("pt-repo-hnn-time-derivative-columns")
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 2)).double()
    hnn = ns["HNN"](2, differentiable_model=mlp)
    hnn.M = hnn.M.double()
    x = (torch.rand(64, 2, dtype=torch.float64) * 2 - 1).requires_grad_(True)
    field = hnn.time_derivative(x)
    dF2 = gt.fd_gradient(lambda z: mlp(torch.tensor(z))[:, 1].detach().numpy(), x.detach().numpy())
    expected = torch.tensor(dF2) @ hnn.M.t()
    err = gt.rel_err(field, expected)

    opt = torch.optim.Adam(mlp.parameters(), lr=1e-2)
    target = torch.stack([x[:, 1], -x[:, 0]], 1).detach()
    losses = []
    for _ in range(300):
        opt.zero_grad()
        loss = ((hnn.time_derivative(x) - target) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return not (err < 1e-6 and losses[-1] < 1e-2 * losses[0]), (
        f"solenoidal field vs FD: rel err {gt.fmt(err)}; derivative loss {gt.fmt(losses[0])} -> {gt.fmt(losses[-1])} in 300 Adam steps")


gt.main()
