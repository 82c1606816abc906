import torch
from torch import Tensor


class Geometry:

    @property
    def distances(self) -> Tensor:
        """Distance matrix between atoms in the system."""
        # Todo: Modify to account for PBC

        dist_raw = torch.cdist(self.positions, self.positions, p=2)
        # Ensure padding area is zeroed out
        # But don't modify in place
        dist = dist_raw.clone()
        dist[self._mask_dist] = 0

        # cdist bug, sometimes distances diagonal is not zero
        idx = torch.arange(dist.shape[-1])
        if not (dist[..., idx, idx].eq(0)).all():
            dist[..., idx, idx] = 0.0

        return dist
