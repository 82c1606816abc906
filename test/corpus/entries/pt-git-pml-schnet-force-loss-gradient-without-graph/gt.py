import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-git-pml-schnet-force-loss-gradient-without-graph"


class PairEnergy(nn.Module):
    """A small learned pair potential standing in for SchNet: E of each molecule = sum over its atom pairs of an MLP
    of the distance (float64)."""

    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1)).double()

    def forward(self, R, n_mol, n_atoms):
        pos = R.view(n_mol, n_atoms, 3)
        d = (pos[:, :, None, :] - pos[:, None, :, :] + torch.eye(n_atoms, dtype=R.dtype)[None, :, :, None]).norm(dim=-1)
        mask = 1.0 - torch.eye(n_atoms, dtype=R.dtype)
        return (self.mlp(d.unsqueeze(-1)).squeeze(-1) * mask).sum(dim=(1, 2)) / 2


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    model = PairEnergy()
    n_mol, n_atoms = 4, 5
    R = torch.randn(n_mol * n_atoms, 3, dtype=torch.float64).requires_grad_(True)
    E = torch.randn(n_mol, dtype=torch.float64)
    F = torch.randn(n_mol * n_atoms, 3, dtype=torch.float64)
    params = list(model.parameters())

    loss = ns["energy_force_loss"](model(R, n_mol, n_atoms), R, E, F)
    got = torch.autograd.grad(loss, params, allow_unused=True)
    got = [g if g is not None else torch.zeros_like(p) for g, p in zip(got, params)]

    # Reference: the same energy + force loss with the forces kept in the graph (F_pred = -dE/dR, create_graph=True).
    E_pred = model(R, n_mol, n_atoms)
    F_pred = -torch.autograd.grad(E_pred.sum(), R, create_graph=True)[0]
    dist_F = torch.norm(F.view(n_mol, -1, 3) - F_pred.view(n_mol, -1, 3), dim=-1)
    ref_loss = (0.01 * (E - E_pred) ** 2 + (dist_F ** 2).mean(axis=1)).mean()
    ref = torch.autograd.grad(ref_loss, params)
    err = gt.rel_err(torch.cat([g.flatten() for g in got]), torch.cat([g.flatten() for g in ref]))
    return err > 1e-6, (f"loss {gt.fmt(float(loss))} (reference {gt.fmt(float(ref_loss))}); gradient w.r.t. the model's "
                        f"weights vs the energy+force loss with forces in the graph: rel. error {gt.fmt(err)}")


gt.main()
