import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-e3nn-neighbor-displacements-numpy"


def primitive_neighbor_list(quantities, pbc, cell, positions, cutoff, self_interaction=False, use_scaled_positions=False):
    """Stand-in for ase.neighborlist.primitive_neighbor_list('ijD', ...) without periodicity: NumPy in, NumPy out."""
    n = len(positions)
    i, j = [a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), indexing="ij")]
    keep = (i != j) | self_interaction
    D = positions[j] - positions[i]
    keep &= np.linalg.norm(D, axis=1) < cutoff
    return i[keep], j[keep], D[keep]


ase = SimpleNamespace(geometry=SimpleNamespace(complete_cell=lambda c: np.asarray(c)),
                      neighborlist=SimpleNamespace(primitive_neighbor_list=primitive_neighbor_list))


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "np": np, "ase": ase})
    pos = torch.rand(5, 3, dtype=torch.float64, requires_grad=True)
    # as the docstring asks, the tensor goes in detached; the model then works on edge_attr
    edge_index, edge_attr = ns["_neighbor_list_and_relative_vec"](pos.detach(), r_max=10.0, self_interaction=False)
    energy = torch.exp(-edge_attr.norm(dim=1)).sum()
    err = gt.raises(lambda: torch.autograd.grad(energy, pos))
    # the same energy with displacements taken in torch has forces
    disp = pos[edge_index[1]] - pos[edge_index[0]]
    forces = -torch.autograd.grad(torch.exp(-disp.norm(dim=1)).sum(), pos)[0]
    return err is not None, (f"{edge_attr.shape[0]} edges; energy.requires_grad = {energy.requires_grad}; "
                             f"-dE/dpos raised {err}; with torch displacements |F|max = {gt.fmt(float(forces.abs().max()))}")


gt.main()
