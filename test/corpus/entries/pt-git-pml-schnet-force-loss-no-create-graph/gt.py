import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-pml-schnet-force-loss-no-create-graph"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    net = gt.mlp(1, 1)

    def energy(R):  # pair energy of each molecule, a stand-in for SchnetNet
        d = (R[:, :, None, :] - R[:, None, :, :] + 1e-3).norm(dim=-1)
        return net(d.unsqueeze(-1)).sum(dim=(1, 2, 3))

    R = torch.rand(2, 4, 3, dtype=torch.float64, requires_grad=True)
    E, F = torch.rand(2, dtype=torch.float64), torch.rand(2, 4, 3, dtype=torch.float64)
    E_pred = energy(R)
    loss = ns["energy_force_loss"](E_pred, R, E, F)
    g_all = torch.autograd.grad(loss, list(net.parameters()), retain_graph=True)
    g_energy = torch.autograd.grad((0.01 * (E - E_pred) ** 2).mean(), list(net.parameters()))
    share = gt.norm_of([a - b for a, b in zip(g_all, g_energy)])
    return bool(share < 1e-12), f"force term's share of the weight gradient: {share:.3g}"


gt.main()
