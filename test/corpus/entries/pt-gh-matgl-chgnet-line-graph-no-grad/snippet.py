with torch.no_grad():
    (
        lg_edge_index, lg_bond_vec, lg_bond_dist,
        _lg_pbc_offset, lg_src_bond_sign,
    ) = create_directed_line_graph(
        edge_index, pbc_offset, bond_vec, bond_dist, self.three_body_cutoff
    )
