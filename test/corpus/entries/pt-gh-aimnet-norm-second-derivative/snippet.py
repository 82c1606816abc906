from typing import Dict, Optional, Tuple
import torch
from torch import Tensor

from aimnet import nbops


def calc_distances(data: Dict[str, Tensor], suffix: str = "", pad_value: float = 1.0) -> Tuple[Tensor, Tensor]:
    coord_i, coord_j = nbops.get_ij(data["coord"], data, suffix)
    if f"shifts{suffix}" in data:
        assert "cell" in data, "cell is required if shifts are provided"
        nb_mode = nbops.get_nb_mode(data)
        if nb_mode == 2:
            shifts = torch.einsum("bnmd,bdh->bnmh", data[f"shifts{suffix}"], data["cell"])
        else:
            shifts = data[f"shifts{suffix}"] @ data["cell"]
        coord_j = coord_j + shifts
    r_ij = coord_j - coord_i
    d_ij = torch.norm(r_ij, p=2, dim=-1)
    d_ij = nbops.mask_ij_(d_ij, data, mask_value=pad_value, inplace=False, suffix=suffix)
    return d_ij, r_ij
