import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-git-descent-energy-target-force-sign")
def _():
    # predict() as it was before the fix. smee is not installed: a stand-in compute_energy gives a harmonic
    # energy E = 0.5 * k * |x|^2 per conformer, whose physical forces are F = -dE/dx = -k * x; the dataset's
    # reference forces are these true forces, so a correct predict() returns forces_pred == forces_ref.
    k = torch.tensor(2.5, dtype=torch.float64, requires_grad=True)

    def compute_energy(topology, force_field, coords):
        return 0.5 * force_field * (coords ** 2).sum(dim=(-2, -1))

    smee = types.SimpleNamespace(compute_energy=compute_energy, TensorForceField=object, TensorTopology=object)
    datasets = types.SimpleNamespace(Dataset=object)
    ns = gt.exec_snippet(__file__, {"smee": smee, "datasets": datasets})

    torch.manual_seed(0)
    coords = torch.randn(3, 4, 3, dtype=torch.float64)  # 3 conformers of a 4-atom molecule
    energy = 0.5 * k.detach() * (coords ** 2).sum(dim=(-2, -1))
    forces = -k.detach() * coords
    dataset = [{"smiles": "[O:1]", "coords": coords.reshape(-1), "energy": energy, "forces": forces.reshape(-1)}]
    e_ref, e_pred, f_ref, f_pred = ns["predict"](dataset, k, {"[O:1]": None})
    energies_ok = gt.rel_err(e_pred, e_ref) < 1e-12
    flipped = gt.rel_err(f_pred, -f_ref) < 1e-12 and gt.rel_err(f_pred, f_ref) > 1.0
    return energies_ok and flipped, (f"relative energies match the reference (rel. err {gt.rel_err(e_pred, e_ref):.1e}); "
                                     f"predicted forces = -reference forces (rel. err vs -ref {gt.rel_err(f_pred, -f_ref):.1e}, "
                                     f"vs ref {gt.rel_err(f_pred, f_ref):.2f})")


gt.main()
