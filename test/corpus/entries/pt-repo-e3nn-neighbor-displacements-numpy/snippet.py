def _neighbor_list_and_relative_vec(pos, r_max, self_interaction=True, cell=None, pbc=False):
    if isinstance(pbc, bool):
        pbc = (pbc,)*3
    if cell is None:
        # ASE will "complete" this correctly.
        cell = np.zeros((3, 3))
    cell = ase.geometry.complete_cell(cell)

    first_idex, second_idex, displacements = ase.neighborlist.primitive_neighbor_list(
        'ijD',
        pbc,
        np.asarray(cell),
        np.asarray(pos),
        cutoff=r_max,
        self_interaction=self_interaction,
        use_scaled_positions=False
    )
    edge_index = torch.vstack((
        torch.LongTensor(first_idex),
        torch.LongTensor(second_idex)
    ))
    edge_attr = torch.as_tensor(displacements)
    return edge_index, edge_attr
