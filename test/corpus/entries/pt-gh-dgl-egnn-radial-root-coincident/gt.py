"""Ground truth for pt-gh-dgl-egnn-radial-root-coincident: DGL is not installed here, so the snippet's edge lines are
reproduced on a dense edge list (fn.u_sub_v is x[src] - x[dst]): the radial feature, the normalisation by
radial.sqrt() + 1e-30, and a coordinate message as EGNNConv.message forms it (an MLP of the edge features times the
normalised difference). Two nodes at the same position (the issue's all-zero positions) make an edge with radial 0;
the gradient of the updated coordinates with respect to the positions is checked for NaN."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-dgl-egnn-radial-root-coincident")
def _():
    torch.manual_seed(0)
    src = torch.tensor([0, 1, 2, 1, 2, 3])
    dst = torch.tensor([1, 2, 3, 0, 1, 2])
    coord = torch.zeros(4, 3, dtype=torch.float64)
    coord[3] = torch.tensor([1.0, 0.5, -0.2], dtype=torch.float64)
    coord.requires_grad_(True)
    h = torch.randn(4, 8, dtype=torch.float64)
    act = torch.nn.SiLU()
    edge_mlp = torch.nn.Sequential(torch.nn.Linear(2 * 8 + 1, 8), act, torch.nn.Linear(8, 8), act).double()
    coord_mlp = torch.nn.Sequential(torch.nn.Linear(8, 8), act, torch.nn.Linear(8, 1, bias=False)).double()
    x_diff = coord[src] - coord[dst]
    radial = x_diff.square().sum(dim=1).unsqueeze(-1)
    x_diff = x_diff / (radial.sqrt() + 1e-30)
    msg_h = edge_mlp(torch.cat([h[src], h[dst], radial], dim=-1))
    msg_x = coord_mlp(msg_h) * x_diff
    x_neigh = torch.zeros_like(coord).index_add(0, dst, msg_x) / torch.bincount(dst, minlength=4).clamp(min=1)[:, None]
    x = coord + x_neigh
    (g,) = torch.autograd.grad(x.square().sum(), coord)
    bad = bool(torch.isnan(g).any())
    return bad, f"updated coordinates finite: {bool(torch.isfinite(x).all())}; gradient has NaN: {bad}"


gt.main()
