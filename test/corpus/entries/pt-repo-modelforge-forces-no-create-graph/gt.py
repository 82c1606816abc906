import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-modelforge-forces-no-create-graph"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "Dict": dict})
    atom_net = gt.mlp(3, 1, dtype=torch.float32)
    positions = torch.rand(5, 3, requires_grad=True)  # one molecule of 5 atoms
    per_molecule_energy = atom_net(positions).sum().reshape(1)
    F_true = torch.rand(5, 3)
    batch = SimpleNamespace(nnp_input=SimpleNamespace(positions=positions), metadata=SimpleNamespace(F=F_true))
    out = ns["_get_forces"](None, batch, {"per_molecule_energy_predict": per_molecule_energy})
    F_pred = out["per_atom_force_predict"]
    force_loss = ((F_pred - F_true) ** 2).mean()
    params = list(atom_net.parameters())
    share = 0.0
    if force_loss.requires_grad:
        share = gt.norm_of(torch.autograd.grad(force_loss, params, allow_unused=True))
    # the forces themselves are right: -dE/dx against finite differences
    fd = -gt.fd_gradient(lambda a: atom_net(torch.from_numpy(a).float()).double().detach().numpy(), positions.detach().numpy(), h=1e-3)
    err = gt.rel_err(F_pred, fd)
    return share == 0.0, (f"forces vs FD rel err {gt.fmt(err)}; force prediction requires grad: {F_pred.requires_grad}; "
                          f"force loss's weight gradient norm {gt.fmt(share)}")


gt.main()
