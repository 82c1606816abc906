import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-modelforge-aimnet2-vector-norm-zero"


@gt.case(CASE)
def _():
    # A symmetric linear triatomic (O-C-O): the central atom's two pair vectors cancel exactly, so its summed
    # vector feature is zero. Energy from the quoted vector contributions, forces = -dE/dx with create_graph,
    # then a force-matching loss is backpropagated to the parameter agh, as force training does.
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    module = ns["AIMNet2InteractionModule"]()
    pos = torch.tensor([[-1.2, 0.0, 0.0], [0.0, 0.0, 0.0], [1.2, 0.0, 0.0]], dtype=torch.float64, requires_grad=True)
    idx_i = torch.tensor([0, 1, 1, 2])
    idx_j = torch.tensor([1, 0, 2, 1])  # pairs aggregated on idx_j, as in the quoted method
    r_ij = pos[idx_j] - pos[idx_i]
    d_ij = r_ij.norm(dim=-1, keepdim=True)
    G = 4
    gs = torch.exp(-torch.arange(1.0, G + 1, dtype=torch.float64) * d_ij)  # (pairs, G) radial basis
    gv = (r_ij / d_ij).unsqueeze(-1) * gs.unsqueeze(1)  # (pairs, 3, G) vector symmetry functions
    a_j = torch.randn(3, 5, dtype=torch.float64)[idx_j]  # per-pair atomic features
    agh = torch.randn(5, G, 6, dtype=torch.float64, requires_grad=True)
    vc = module.calculate_vector_contributions(gv, a_j, idx_j, agh, 3, torch.device("cpu"))
    energy = vc.sum()
    forces = -torch.autograd.grad(energy, pos, create_graph=True)[0]
    loss = (forces ** 2).sum()
    loss.backward()
    nan = bool(torch.isnan(agh.grad).any())
    return nan, (f"central atom's summed vector = {float(vc[1].abs().max()):.3g}; energy {float(energy):.4g}, "
                 f"forces finite: {bool(torch.isfinite(forces).all())}; force-loss gradient of agh has NaN: {nan}")


gt.main()
