import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-smee-lj-switch-rpow-inplace-log"


def tensor_like(data, other):
    """smee.utils.tensor_like of that version."""
    if isinstance(data, torch.Tensor):
        return data.clone().detach().to(other.device, other.dtype)
    return torch.tensor(data, dtype=other.dtype, device=other.device)


@gt.case(CASE)
def _():
    smee = SimpleNamespace(utils=SimpleNamespace(tensor_like=tensor_like))
    ns = gt.exec_snippet(__file__, {"torch": torch, "smee": smee})
    rs = torch.tensor(8.0, dtype=torch.float64)
    rc = torch.tensor(9.0, dtype=torch.float64, requires_grad=True)  # the cutoff attribute, differentiated
    sig = torch.tensor([3.2, 3.5], dtype=torch.float64, requires_grad=True)
    value = ns["_integrate_lj_switch"](rc, rs, rc, sig).sum()
    err = gt.raises(lambda: value.backward())
    return err is not None and "inplace" in err, f"integral {gt.fmt(float(value))}; backward raised {err}"


gt.main()
