def _get_forces(
    self, batch: "BatchData", energies: Dict[str, torch.Tensor]
) -> Dict[str, torch.Tensor]:
    nnp_input = batch.nnp_input
    per_atom_force_true = batch.metadata.F.to(torch.float32)

    if per_atom_force_true.numel() < 1:
        raise RuntimeError("No force can be calculated.")

    per_molecule_energy_predict = energies["per_molecule_energy_predict"]

    # Ensure E_predict and nnp_input.positions require gradients and are on the same device
    if not per_molecule_energy_predict.requires_grad:
        per_molecule_energy_predict.requires_grad = True
    if not nnp_input.positions.requires_grad:
        nnp_input.positions.requires_grad = True

    # Compute the gradient (forces) from the predicted energies
    grad = torch.autograd.grad(
        per_molecule_energy_predict.sum(),
        nnp_input.positions,
        create_graph=True,
        retain_graph=True,
    )[0]
    per_atom_force_predict = -1 * grad  # Forces are the negative gradient of energy

    return {
        "per_atom_force_true": per_atom_force_true,
        "per_atom_force_predict": per_atom_force_predict,
    }
