"""Ground truth for pt-gh-tbmalt-forces-from-batch-energy-sum (correct look-alike): forces of a batch
of molecules from the gradient of the summed batch energy. tbmalt's DFTB calculator is not installed:
the snippet runs with a stand-in batch (3 molecules x 4 atoms, float64) whose per-molecule energy is a
Morse-like pair sum, computed from geometries.positions before the snippet (dftb_calculator is a
no-op here). The forces must equal each molecule's own -dE_m/dR and central finite differences."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


def energies(pos):
    d = (pos.unsqueeze(-2) - pos.unsqueeze(-3) + torch.eye(pos.shape[-2], dtype=pos.dtype).unsqueeze(-1)).norm(dim=-1)
    pair = (1 - torch.exp(-(d - 1.2))) ** 2
    mask = 1 - torch.eye(pos.shape[-2], dtype=pos.dtype)
    return (pair * mask).sum((-1, -2)) / 2


@gt.case("pt-gh-tbmalt-forces-from-batch-energy-sum")
def _():
    torch.manual_seed(0)
    pos = (torch.randn(3, 4, 3, dtype=torch.float64) * 1.3).requires_grad_(True)
    geometries = types.SimpleNamespace(positions=pos)
    ns = gt.exec_snippet(__file__, {"torch": torch, "geometries": geometries, "orbs": None,
                                    "dftb_calculator": lambda g, o: None,
                                    "predicted_energy_uncorrected": energies(pos)})
    forces = ns["all_force_vecs_raw"]
    own = torch.stack([-torch.autograd.grad(energies(pos)[m], pos)[0][m] for m in range(3)])
    err_own = gt.rel_err(forces, own)
    P = pos.detach().numpy().reshape(3, 12)
    fd = np.stack([-gt.fd_gradient(lambda r, m=m: energies(torch.tensor(r).view(-1, 4, 3)).numpy(), P[m:m + 1])[0]
                   for m in range(3)]).reshape(3, 4, 3)
    err_fd = gt.rel_err(forces, fd)
    return not (err_own < 1e-12 and err_fd < 1e-6), f"batch-sum forces vs per-molecule -dE_m/dR: rel err {gt.fmt(err_own)}; vs FD: {gt.fmt(err_fd)}"


gt.main()
