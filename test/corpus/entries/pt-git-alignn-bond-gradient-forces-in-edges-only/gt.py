import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-alignn-bond-gradient-forces-in-edges-only"


@gt.case(CASE)
def _():
    # Smallest faithful reproduction (DGL is not installed): a graph of 5 atoms with every ordered pair as an edge,
    # bond vectors r = x[dst] - x[src] (ALIGNN's g.edata["r"]), an energy that is a small network of the bond
    # vectors summed over edges, dy = grad_multiplier (-1) * dE/dr as quoted, and
    # g.update_all(fn.copy_e("dy_dr", "m"), fn.sum("m", "gradient")) as its DGL meaning: per node, the sum of dy
    # over the node's incoming edges. Compared with the forces -dE/dx taken directly with respect to positions.
    torch.manual_seed(0)
    n = 5
    x = torch.randn(n, 3, dtype=torch.float64) * 1.5
    src, dst = zip(*[(i, j) for i in range(n) for j in range(n) if i != j])
    src, dst = torch.tensor(src), torch.tensor(dst)
    edge_net = gt.mlp(3, 1, width=8)

    def energy_of_bonds(r):
        return edge_net(r).sum()

    # as quoted: derivative with respect to the bond vectors, reduced over incoming edges
    r = (x[dst] - x[src]).requires_grad_(True)
    out = energy_of_bonds(r)
    dy = -1 * torch.autograd.grad(out, r, grad_outputs=torch.ones_like(out), create_graph=True, retain_graph=True)[0]
    gradient = torch.zeros(n, 3, dtype=torch.float64).index_add(0, dst, dy)

    # reference: forces from the positions themselves
    xp = x.clone().requires_grad_(True)
    forces = -torch.autograd.grad(energy_of_bonds(xp[dst] - xp[src]), xp)[0]
    err = gt.rel_err(gradient, forces)
    return err > 1e-6, f"reproduction: in-edge reduction vs -dE/dx, relative error {gt.fmt(err)}"


gt.main()
