"""Ground truth for pt-git-tbmalt-cdist-clone-before-mask: the snippet's Geometry.distances property on a padded batch of two
molecules (the second one has a padding atom); a smooth pair energy on the off-diagonal, unpadded
distances is differentiated with respect to the positions (float64), and the forces are compared
with central finite differences."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-tbmalt-cdist-clone-before-mask"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    torch.manual_seed(0)
    pos0 = torch.randn(2, 4, 3, dtype=torch.float64)
    pos0[1, 3] = 0.0  # padding atom of the second molecule
    real = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=torch.bool)
    pair = real[:, :, None] & real[:, None, :]
    mask = ~pair

    def energy(p):
        geo = ns["Geometry"]()
        geo.positions = p
        geo._mask_dist = mask
        d = geo.distances
        off = pair & ~torch.eye(4, dtype=torch.bool)
        return torch.exp(-d[off]).sum()

    pos = pos0.clone().requires_grad_(True)
    err = gt.raises(lambda: torch.autograd.grad(energy(pos), pos))
    if err is not None:
        return True, f"forces by autograd raise {err}"
    g = torch.autograd.grad(energy(pos), pos)[0]
    fd = torch.zeros_like(pos0)
    h = 1e-6
    for idx in range(pos0.numel()):
        e = torch.zeros(pos0.numel(), dtype=torch.float64)
        e[idx] = h
        e = e.view_as(pos0)
        fd.view(-1)[idx] = (energy(pos0 + e) - energy(pos0 - e)) / (2 * h)
    rel = gt.rel_err(g, fd)
    return not rel < 1e-6, f"dE/dpositions vs central differences: rel err {gt.fmt(rel)}"


gt.main()
