import os
import sys
from typing import List, Optional

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-mace-compute-forces-allow-unused"


@gt.case(CASE)
def _():
    torch.set_default_dtype(torch.float64)
    try:
        ns = gt.exec_snippet(__file__, {"torch": torch, "List": List, "Optional": Optional})
        compute_forces = ns["compute_forces"]
        pair = gt.mlp(1, 1)

        def energy_of(pos):  # a pair potential over all pairs of 4 atoms
            i, j = torch.triu_indices(4, 4, 1)
            d = ((pos[i] - pos[j]) ** 2).sum(1).sqrt()
            return pair(d.unsqueeze(1)).sum().reshape(1)

        x0 = torch.rand(4, 3)
        pos = x0.clone().requires_grad_(True)
        forces = compute_forces(energy_of(pos), pos, training=True)
        fd = -gt.fd_gradient(lambda a: energy_of(torch.from_numpy(a).reshape(4, 3)).detach().numpy().repeat(1), x0.reshape(1, -1).numpy()).reshape(4, 3)
        err = gt.rel_err(forces, fd)
        reaches_weights = forces.requires_grad and gt.norm_of(
            [g for g in torch.autograd.grad((forces ** 2).sum(), list(pair.parameters()), allow_unused=True) if g is not None]) > 0
        # complete dissociation: the energy is a sum of per-atom constants, positions unused
        pos2 = x0.clone().requires_grad_(True)
        e_free = pair(torch.ones(4, 1)).sum().reshape(1)
        f_free = compute_forces(e_free, pos2, training=True)
        zero = bool((f_free == 0).all()) and f_free.shape == pos2.shape
    finally:
        torch.set_default_dtype(torch.float32)
    return not (err < 1e-6 and reaches_weights and zero), (
        f"forces vs FD rel err {gt.fmt(err)}; force loss reaches the weights: {reaches_weights}; "
        f"dissociated configuration gives zero forces of the positions' shape: {zero}")


gt.main()
