"""Ground truth for pt-gh-aimnet-norm-second-derivative: the snippet's calc_distances (before the
fix) on a dense all-pairs molecule, where r_ii = 0 on the diagonal. A pair energy is built from
d_ij (masked pairs weighted 0), forces are -dE/dcoord with create_graph=True,
then the second derivative with respect to the coordinates (a Hessian-vector product) is taken. The masked norm at r = 0 feeds NaN
into it. aimnet.nbops is not installed here: a stand-in with the dense-mode behaviour (coord_i =
coord[:, :, None], coord_j = coord[:, None, :], mask_ij = identity, masked_fill) is registered."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def nbops_stand_in():
    nbops = types.ModuleType("aimnet.nbops")
    nbops.get_nb_mode = lambda data: 0
    nbops.get_ij = lambda x, data, suffix="": (x.unsqueeze(-2), x.unsqueeze(-3))

    def mask_ij_(x, data, mask_value=0.0, inplace=True, suffix=""):
        mask = data[f"mask_ij{suffix}"]
        for _ in range(x.ndim - mask.ndim):
            mask = mask.unsqueeze(-1)
        return x.masked_fill_(mask, mask_value) if inplace else x.masked_fill(mask, mask_value)

    nbops.mask_ij_ = mask_ij_
    pkg = types.ModuleType("aimnet")
    pkg.nbops = nbops
    sys.modules["aimnet"], sys.modules["aimnet.nbops"] = pkg, nbops


def energy(calc_distances, coord):
    n = coord.shape[1]
    data = {"coord": coord, "mask_ij": torch.eye(n, dtype=torch.bool).unsqueeze(0)}
    d_ij, _ = calc_distances(data)
    pair = torch.exp(-d_ij) / d_ij
    return (pair * (~data["mask_ij"])).sum() / 2


def check(calc_distances):
    torch.manual_seed(0)
    coord = (torch.randn(1, 5, 3, dtype=torch.float64) * 1.5).requires_grad_(True)
    e = energy(calc_distances, coord)
    forces = -torch.autograd.grad(e, coord, create_graph=True)[0]
    v = torch.randn_like(coord)
    hvp = torch.autograd.grad((forces * v).sum(), coord)[0]  # -H v
    # finite differences of the forces along v (forces alone are computed without create_graph)
    h = 1e-6

    def f(c):
        c = c.detach().requires_grad_(True)
        return -torch.autograd.grad(energy(calc_distances, c), c)[0]

    hv = -(f(coord + h * v) - f(coord - h * v)) / (2 * h)  # H v, since F = -grad E
    return forces, hvp, -hv


@gt.case("pt-gh-aimnet-norm-second-derivative")
def _():
    nbops_stand_in()
    ns = gt.exec_snippet(__file__)
    forces, hvp, fd = check(ns["calc_distances"])
    finite_forces = bool(torch.isfinite(forces).all())
    nan_hvp = int(torch.isnan(hvp).sum())
    err = float("nan") if nan_hvp else gt.rel_err(hvp, fd)
    return nan_hvp > 0 or err > 1e-5, (
        f"forces finite: {finite_forces}; Hessian-vector product d(F.v)/dx: {nan_hvp} of "
        f"{hvp.numel()} entries NaN; rel err vs FD of the forces {gt.fmt(err)}"
    )


gt.main()
