import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-smee-vsite-frames-inplace-div"


def tensor_like(data, other):
    return torch.tensor(data, dtype=other.dtype, device=other.device)


@gt.case(CASE)
def _():
    smee = SimpleNamespace(utils=SimpleNamespace(tensor_like=tensor_like))
    ns = gt.exec_snippet(__file__, {"torch": torch, "smee": smee})
    build = ns["_build_v_site_coord_frames"]
    # water with one off-centre site (TIP4P-like): frame from O, H1, H2
    key = SimpleNamespace(orientation_atom_indices=[0, 1, 2])
    weight = torch.tensor([[1.0, 0.0, 0.0], [-1.0, 1.0, 0.0], [-1.0, 0.0, 1.0]], dtype=torch.float64)
    v_sites = SimpleNamespace(keys=[key], parameter_idxs=[0])
    force_field = SimpleNamespace(v_sites=SimpleNamespace(weights=[weight]))
    local = torch.tensor([0.1, 0.2, 0.05], dtype=torch.float64)
    F_ref = torch.rand(1, 3, 3, dtype=torch.float64)

    def energy(conformer):
        frames = build(v_sites, conformer, force_field)  # (1, 4, n_v, 3)
        v = frames[:, 0] + local[0] * frames[:, 1] + local[1] * frames[:, 2] + local[2] * frames[:, 3]
        return ((v[:, 0] - conformer[:, 0]) ** 2).sum() + (conformer ** 2).sum()

    conformer = torch.tensor([[[0.0, 0.0, 0.0], [0.96, 0.0, 0.0], [-0.24, 0.93, 0.0]]], dtype=torch.float64,
                             requires_grad=True)
    first = gt.raises(lambda: torch.autograd.grad(energy(conformer), conformer))

    def force_loss_backward():
        forces = -torch.autograd.grad(energy(conformer), conformer, create_graph=True)[0]
        ((forces - F_ref) ** 2).sum().backward()
    second = gt.raises(force_loss_backward)
    return second is not None and "inplace" in second, f"energy gradient raised {first}; force-loss backward raised {second}"


gt.main()
