"""Ground truth for pt-git-e3nn-neighbor-displacements-torch: the snippet's DataNeighbors, _neighbor_list_and_relative_vec and
training step (e3nn's examples/point/atomic_forces.py), run unchanged. ASE, torch_geometric and
torch_scatter are not installed here, so small stand-ins are registered under their names: an
all-pairs neighbour list within the cutoff without periodicity ('ijD' gives pos[j] - pos[i], 'ijS'
zero shifts), a Data object that keeps its fields, Batch.from_data_list that concatenates graphs and
offsets their edges, and scatter_add. The network f is a pair energy exp(-|edge_attr|) with one
trainable scale. The step must run, and its forces must match central finite differences of the
energy with respect to the positions."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-e3nn-neighbor-displacements-torch"


def primitive_neighbor_list(quantities, pbc, cell, positions, cutoff, self_interaction=True, use_scaled_positions=False):
    positions = np.asarray(positions)
    n = len(positions)
    i, j = np.nonzero(np.linalg.norm(positions[None, :] - positions[:, None], axis=-1) < cutoff)
    if not self_interaction:
        keep = i != j
        i, j = i[keep], j[keep]
    third = positions[j] - positions[i] if quantities[-1] == "D" else np.zeros((len(i), 3), dtype=int)
    return i, j, third


class Data:
    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)


class Batch:
    @staticmethod
    def from_data_list(items):
        out = Data()
        offsets = np.cumsum([0] + [len(d.x) for d in items])
        out.x = torch.cat([d.x for d in items])
        out.edge_index = torch.cat([d.edge_index + int(o) for d, o in zip(items, offsets)], dim=1)
        out.edge_attr = torch.cat([d.edge_attr for d in items])
        out.batch = torch.cat([torch.full((len(d.x),), k, dtype=torch.long) for k, d in enumerate(items)])
        return out


def scatter_add(src, index, dim=0, dim_size=None):
    size = int(index.max()) + 1 if dim_size is None else dim_size
    return torch.zeros((size,) + src.shape[1:], dtype=src.dtype).index_add(0, index, src)


def register_stand_ins():
    ase = types.ModuleType("ase")
    ase.neighborlist = types.ModuleType("ase.neighborlist")
    ase.neighborlist.primitive_neighbor_list = primitive_neighbor_list
    ase.geometry = types.SimpleNamespace(complete_cell=lambda c: np.asarray(c) if np.asarray(c).any() else np.eye(3))
    tg = types.ModuleType("torch_geometric")
    tg.data = types.ModuleType("torch_geometric.data")
    tg.data.Data = Data
    tg.data.Batch = Batch
    ts = types.ModuleType("torch_scatter")
    ts.scatter_add = scatter_add
    sys.modules.update({"ase": ase, "ase.neighborlist": ase.neighborlist, "torch_geometric": tg,
                        "torch_geometric.data": tg.data, "torch_scatter": ts})


class PairEnergy(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.tensor(1.0, dtype=torch.float64))

    def forward(self, x, edge_index, edge_attr, n_norm=2):
        e = self.scale * torch.exp(-edge_attr.norm(dim=-1))
        return scatter_add(e[:, None], edge_index[0], dim_size=len(x))


@gt.case(CASE)
def _():
    register_stand_ins()
    torch.manual_seed(0)
    geometry = torch.rand(4, 5, 2, dtype=torch.float64) * 2
    geometry = torch.cat([geometry, torch.zeros(4, 5, 1, dtype=torch.float64)], dim=-1)
    features = torch.ones(4, 5, 2, dtype=torch.float64)
    f = PairEnergy()
    names = {"geometry": geometry, "tr": torch.tensor([0, 1, 2]), "features": features, "f": f, "r_max": 2,
             "forces": torch.zeros(4, 5, 3, dtype=torch.float64), "optim": torch.optim.SGD(f.parameters(), lr=0.0)}
    ns = gt.exec_snippet(__file__, names)
    err = gt.raises(lambda: ns["step"](0))
    if err is not None:
        return True, f"the training step raises {err}"

    def energy(pos):
        batch = Batch.from_data_list([ns["DataNeighbors"](x, r, 2, self_interaction=False) for x, r in zip(features[:3], pos)])
        return f(batch.x, batch.edge_index, batch.edge_attr).sum()

    pos = geometry[:3].clone().requires_grad_(True)
    g, = torch.autograd.grad(energy(pos), pos)
    fd = torch.zeros_like(pos)
    h = 1e-6
    base = geometry[:3]
    for k in range(base.numel()):
        e = torch.zeros(base.numel(), dtype=torch.float64)
        e[k] = h
        e = e.view_as(base)
        fd.view(-1)[k] = (energy(base + e) - energy(base - e)) / (2 * h)
    rel = gt.rel_err(g, fd)
    return not rel < 1e-6, f"the step runs; dE/dpositions vs central differences: rel err {gt.fmt(rel)}"


gt.main()
