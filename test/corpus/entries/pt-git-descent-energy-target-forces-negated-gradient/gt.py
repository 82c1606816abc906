import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-descent-energy-target-forces-negated-gradient"


def _bond_energy(topology, force_field, coords):
    """Stand-in for smee.compute_energy: one harmonic bond between atoms 0 and 1 per conformer,
    E = 0.5 k (|x0 - x1| - r0)^2, returned with shape (n_confs,)."""
    k, r0 = force_field
    d = torch.linalg.norm(coords[:, 0] - coords[:, 1], dim=-1)
    return 0.5 * k * (d - r0) ** 2


@gt.case(CASE)
def _():
    # smee (the force-field package) and datasets are not installed here: both imports are stubbed; the
    # dataset is a list of one entry of torch tensors, as datasets' torch format yields them.
    smee = types.ModuleType("smee")
    smee.compute_energy = _bond_energy
    smee.TensorForceField = object
    smee.TensorTopology = object
    ds = types.ModuleType("datasets")
    ds.Dataset = object
    sys.modules["smee"] = smee
    sys.modules["datasets"] = ds
    ns = gt.exec_snippet(__file__)
    rng = np.random.default_rng(0)
    coords = rng.normal(size=(3, 2, 3))  # 3 conformers of a two-atom molecule
    force_field = (2.0, 1.1)
    energy = np.array([float(_bond_energy(None, force_field, torch.tensor(c[None]))[0]) for c in coords])
    # Reference forces: minus the energy's derivative by central differences, per coordinate.
    h = 1e-6
    forces = np.zeros_like(coords)
    for c in range(coords.shape[0]):
        for idx in np.ndindex(coords.shape[1:]):
            xp, xm = coords[c].copy(), coords[c].copy()
            xp[idx] += h
            xm[idx] -= h
            ep = float(_bond_energy(None, force_field, torch.tensor(xp[None]))[0])
            em = float(_bond_energy(None, force_field, torch.tensor(xm[None]))[0])
            forces[c][idx] = -(ep - em) / (2 * h)
    entry = {
        "smiles": "[H][H]",
        "coords": torch.tensor(coords.reshape(-1)),
        "energy": torch.tensor(energy),
        "forces": torch.tensor(forces.reshape(-1)),
    }
    _, _, forces_ref, forces_pred = ns["predict"]([entry], force_field, {"[H][H]": None}, normalize=False)
    err = gt.rel_err(forces_pred.detach(), forces_ref)
    return err > 1e-5, f"predicted forces vs -dE/dx (central differences): rel err {gt.fmt(err)}"


gt.main()
