"""Ground truth for pt-git-mace-polarisability-per-component: the snippet's compute_forces_virials_field on two graphs (3 and 2
atoms) with an energy that couples the positions and the electric field and is quartic in the field
(float64). The polarisability it returns must be the per-graph Hessian of the energy with respect to
the field, d2E/dF2 (3 x 3), here from torch.autograd.functional.hessian of each graph's energy."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-mace-polarisability-per-component"


def graph_energy(pos, field, disp):
    # pos (n, 3), field (3,), disp (3, 3)
    return (torch.tanh(pos).sum() + 0.7 * (pos.sum(0) * field).sum() + 0.5 * field @ torch.diag(torch.tensor([1.0, 2.0, 3.0], dtype=field.dtype)) @ field
            + 0.1 * (field * field).sum() ** 2 + 0.3 * (pos.sum(0) * field).sum() ** 2 + torch.trace(disp))


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    torch.manual_seed(0)
    batch = torch.tensor([0, 0, 0, 1, 1])
    positions = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    field = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    displacement = torch.zeros(2, 3, 3, dtype=torch.float64, requires_grad=True)
    energy = torch.stack([graph_energy(positions[batch == g], field[g], displacement[g]) for g in range(2)])
    cell = torch.eye(3, dtype=torch.float64).repeat(2, 1)
    out = []
    err = gt.raises(lambda: out.append(ns["compute_forces_virials_field"](energy, positions, displacement, field, cell)))
    if err is not None:
        return True, f"compute_forces_virials_field raises {err}"
    polarisability = out[0][5]
    ref = torch.stack([torch.autograd.functional.hessian(lambda f: graph_energy(positions[batch == g].detach(), f, displacement[g].detach()), field[g].detach()) for g in range(2)])
    if polarisability.shape != ref.shape:
        return True, f"polarisability has shape {tuple(polarisability.shape)}, the Hessian {tuple(ref.shape)}"
    rel = gt.rel_err(polarisability, ref)
    return not rel < 1e-9, f"polarisability vs per-graph d2E/dF2: rel err {gt.fmt(rel)}"


gt.main()
