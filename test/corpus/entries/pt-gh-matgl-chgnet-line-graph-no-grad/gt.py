import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-matgl-chgnet-line-graph-no-grad"
N = 4


def create_directed_line_graph(edge_index, pbc_offset, bond_vec, bond_dist, cutoff):
    """Stand-in: pairs of bonds sharing a source atom (the three-body line graph); returns the bond
    vectors/distances of those pairs by indexing, as the real function does."""
    src = edge_index[0]
    pairs = [(i, j) for i in range(len(src)) for j in range(len(src)) if i != j and src[i] == src[j]
             and bond_dist[i] < cutoff and bond_dist[j] < cutoff]
    lg = torch.tensor(pairs).T
    return lg, bond_vec[lg[0]], bond_dist[lg[0]], None, torch.ones(lg.shape[1])


def model_energy(pos, names_fn, use_snippet=True):
    i, j = torch.triu_indices(N, N, 1)
    edge_index = torch.cat([torch.stack([i, j]), torch.stack([j, i])], dim=1)
    bond_vec = pos[edge_index[1]] - pos[edge_index[0]]
    bond_dist = bond_vec.norm(dim=1)
    ns = names_fn(edge_index, bond_vec, bond_dist)
    if use_snippet:
        ns = gt.exec_snippet(__file__, ns)
    else:  # the same call with the no_grad context removed
        lg = create_directed_line_graph(edge_index, None, bond_vec, bond_dist, 10.0)
        ns.update(lg_edge_index=lg[0], lg_bond_vec=lg[1], lg_bond_dist=lg[2])
    lg_edge_index, lg_bond_vec = ns["lg_edge_index"], ns["lg_bond_vec"]
    # three-body term: cosine between the two bonds of each line-graph edge (second bond vector from bond_vec)
    b2 = bond_vec[lg_edge_index[1]]
    cos = (lg_bond_vec * b2).sum(1) / (lg_bond_vec.norm(dim=1) * b2.norm(dim=1))
    return torch.exp(-bond_dist).sum() + (cos ** 2).sum()


@gt.case(CASE)
def _():
    torch.set_default_dtype(torch.float64)
    try:
        x0 = torch.rand(N, 3)

        def names_fn(edge_index, bond_vec, bond_dist):
            return {"torch": torch, "create_directed_line_graph": create_directed_line_graph, "edge_index": edge_index,
                    "pbc_offset": None, "bond_vec": bond_vec, "bond_dist": bond_dist,
                    "self": SimpleNamespace(three_body_cutoff=10.0)}

        def forces(use_snippet):
            pos = x0.clone().requires_grad_(True)
            return -torch.autograd.grad(model_energy(pos, names_fn, use_snippet), pos)[0]

        fd = -gt.fd_gradient(lambda a: np.array([float(model_energy(torch.from_numpy(a).reshape(N, 3), names_fn, True))]),
                             x0.reshape(1, -1).numpy()).reshape(N, 3)
        err_snippet = gt.rel_err(forces(True), fd)
        err_without = gt.rel_err(forces(False), fd)
    finally:
        torch.set_default_dtype(torch.float32)
    return err_snippet > 1e-4, (f"autograd forces vs FD of the same energy: rel err {gt.fmt(err_snippet)} with the line graph "
                                f"built under no_grad, {gt.fmt(err_without)} without it")


gt.main()
