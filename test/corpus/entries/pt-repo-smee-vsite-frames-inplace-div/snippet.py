def _build_v_site_coord_frames(
    v_sites: "smee.VSiteMap",
    conformer: torch.Tensor,
    force_field: "smee.TensorForceField",
) -> torch.Tensor:
    weights = [force_field.v_sites.weights[idx] for idx in v_sites.parameter_idxs]

    stacked_frames = [[], [], [], []]

    for key, weight in zip(v_sites.keys, weights, strict=True):
        parent_coords = conformer[:, key.orientation_atom_indices, :]
        weighted_coords = torch.transpose(
            (torch.transpose(parent_coords, 1, 2) @ weight.T), 1, 2
        )

        origin = weighted_coords[:, 0, :]

        xy_plane = weighted_coords[:, 1:, :]
        xy_plane /= torch.norm(xy_plane, dim=-1).unsqueeze(-1)

        x_hat = xy_plane[:, 0, :]

        z_hat = torch.cross(x_hat, xy_plane[:, 1, :])
        z_hat_norm = torch.norm(z_hat, dim=-1).unsqueeze(-1)
        z_hat_norm = torch.where(
            torch.isclose(z_hat_norm, smee.utils.tensor_like(0.0, other=z_hat_norm)),
            smee.utils.tensor_like(1.0, other=z_hat_norm),
            z_hat_norm,
        )
        z_hat /= z_hat_norm

        y_hat = torch.cross(z_hat, x_hat)
        y_hat_norm = torch.norm(y_hat, dim=-1).unsqueeze(-1)
        y_hat_norm = torch.where(
            torch.isclose(y_hat_norm, smee.utils.tensor_like(0.0, other=y_hat_norm)),
            smee.utils.tensor_like(1.0, other=y_hat_norm),
            y_hat_norm,
        )
        y_hat /= y_hat_norm

        stacked_frames[0].append(origin)
        stacked_frames[1].append(x_hat)
        stacked_frames[2].append(y_hat)
        stacked_frames[3].append(z_hat)

    local_frames = torch.stack(
        [torch.stack(weights, dim=1) for weights in stacked_frames], dim=1
    )

    return local_frames


