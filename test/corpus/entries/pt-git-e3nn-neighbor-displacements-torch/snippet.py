import numpy as np
import torch
import torch_geometric as tg
import ase.neighborlist
from torch_geometric.data import Batch
from torch_scatter import scatter_add


class DataNeighbors(tg.data.Data):
    def __init__(self, x, pos, r_max, cell=None, pbc=False, self_interaction=True, **kwargs):
        edge_index, edge_attr = _neighbor_list_and_relative_vec(
            pos,
            r_max,
            self_interaction=self_interaction,
            cell=cell,
            pbc=pbc
        )
        super().__init__(x=x, edge_index=edge_index, edge_attr=edge_attr, pos=pos, **kwargs)


def _neighbor_list_and_relative_vec(pos, r_max, self_interaction=True, cell=None, pbc=False):
    if isinstance(pbc, bool):
        pbc = (pbc,)*3
    if cell is None:
        # ASE will "complete" this correctly.
        cell = np.zeros((3, 3))
    cell = ase.geometry.complete_cell(cell)

    # When predicting forces, for example, positions may have requires_grad = True.
    if isinstance(pos, torch.Tensor):
        temp_pos = pos.detach().numpy()
    else:
        temp_pos = np.asarray(pos)

    cell = np.asarray(cell)

    first_idex, second_idex, shifts = ase.neighborlist.primitive_neighbor_list(
        'ijS',
        pbc,
        cell,
        temp_pos,
        cutoff=r_max,
        self_interaction=self_interaction,
        use_scaled_positions=False
    )
    edge_index = torch.vstack((
        torch.LongTensor(first_idex),
        torch.LongTensor(second_idex)
    ))
    # We have to compute displacements in pytorch so that they are backwardable
    displacements = pos[second_idex] - pos[first_idex]
    displacements = displacements + torch.einsum(
        'ni,ij->nj',
        torch.as_tensor(shifts, dtype=displacements.dtype),
        torch.as_tensor(cell, dtype=displacements.dtype)
    )
    edge_attr = torch.as_tensor(displacements)
    return edge_index, edge_attr


def step(i):
    r = geometry[tr].detach().clone()
    r.requires_grad_(True)

    batch = Batch.from_data_list([DataNeighbors(x, r, r_max, self_interaction=False) for x, r in zip(features[tr], r)])

    out = f(batch.x, batch.edge_index, batch.edge_attr, n_norm=2)
    out = scatter_add(out, batch.batch, dim=0)

    pred_forces, = torch.autograd.grad(out.sum(), r, create_graph=True)

    loss = (pred_forces - forces[tr]).pow(2).sum(2).mean()

    optim.zero_grad()
    loss.backward()
    optim.step()
