import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
from functorch import vmap, jacrev


def contract(x):
    """zipnerf-pytorch's internal/coord.py contract() of the same commit (mip-NeRF 360 Eq. 10)."""
    eps = torch.finfo(x.dtype).eps
    x_mag_sq = torch.sum(x ** 2, dim=-1, keepdim=True).clamp_min(eps)
    z = torch.where(x_mag_sq <= 1, x, ((2 * torch.sqrt(x_mag_sq) - 1) / x_mag_sq) * x)
    return z


@gt.case("pt-gh-zipnerf-jacobian-after-contract")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "vmap": vmap, "jacrev": jacrev, "contract": contract})
    mean = torch.tensor([[3.0, 0.5, -2.0], [0.2, 0.1, 0.3], [-6.0, 4.0, 1.0]], dtype=torch.float64)
    std = torch.ones(3, dtype=torch.float64)
    _, got = ns["track_linearize"](contract, mean.clone(), std.clone())
    # Linearize contract() at the mean itself, as Eq. (8) of Zip-NeRF / mip-NeRF 360 does.
    jac = vmap(jacrev(contract))(mean)
    want = std * torch.linalg.det(jac) ** (1 / 3)
    err = gt.rel_err(got, want)
    return err > 1e-3, f"std scale from Jacobian at contract(mean) {got.tolist()} vs at mean {want.tolist()} (rel. err {err:.3g})"


gt.main()
