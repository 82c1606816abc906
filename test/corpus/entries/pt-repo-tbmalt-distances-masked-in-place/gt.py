import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-tbmalt-distances-masked-in-place"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "Tensor": torch.Tensor})
    distances = ns["distances"].fget  # the property's function
    pos = torch.rand(1, 4, 3, dtype=torch.float64, requires_grad=True)
    mask = torch.zeros(1, 4, 4, dtype=torch.bool)
    mask[0, 3, :] = True  # atom 3 is padding
    mask[0, :, 3] = True
    geometry = SimpleNamespace(positions=pos, _mask_dist=mask)
    dist = distances(geometry)
    energy = torch.exp(-dist[0, :3, :3]).sum()
    err = gt.raises(lambda: torch.autograd.grad(energy, pos))
    return err is not None and "inplace" in err, f"forces -dE/dpositions raised {err}"


gt.main()
