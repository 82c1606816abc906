"""Ground truth for pt-git-torchmd-net-distance-self-loop-norm: the snippet's Distance module (before
TorchMD-Net's fix) with loop=True takes torch.norm of every edge vector, the self loops' zero vectors
included. torch_cluster is not installed here: radius_graph is a dense stand-in (all ordered pairs
within r in the same molecule, self loops when loop=True). A pair energy on the edge weights gives
forces and a Hessian-vector product with respect to the positions (what training on forces
differentiates): both must be finite and the latter must match central finite differences of the
forces (float64)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def radius_graph(pos, r, batch, loop=False, max_num_neighbors=32):
    d = torch.cdist(pos.detach(), pos.detach())
    keep = (d <= r) & (batch[:, None] == batch[None, :])
    if not loop:
        keep &= ~torch.eye(len(pos), dtype=torch.bool)
    i, j = keep.nonzero(as_tuple=True)
    return torch.stack([i, j])


def energy(dist, pos, batch):
    edge_index, w = dist(pos, batch)
    return (torch.exp(-w) * (1 + w)).sum()


@gt.case("pt-git-torchmd-net-distance-self-loop-norm")
def _():
    ns = gt.exec_snippet(__file__, {"radius_graph": radius_graph})
    torch.set_default_dtype(torch.float64)
    try:
        dist = ns["Distance"](0.0, 5.0, loop=True)
        torch.manual_seed(0)
        pos = (torch.randn(6, 3) * 1.2).requires_grad_(True)
        batch = torch.tensor([0, 0, 0, 1, 1, 1])
        forces = -torch.autograd.grad(energy(dist, pos, batch), pos, create_graph=True)[0]
        v = torch.randn_like(pos)
        hv = -torch.autograd.grad((forces * v).sum(), pos)[0]  # H v

        def f(p):
            p = p.detach().requires_grad_(True)
            return -torch.autograd.grad(energy(dist, p, batch), p)[0]

        h = 1e-6
        fd = -(f(pos + h * v) - f(pos - h * v)) / (2 * h)
        finite = bool(torch.isfinite(forces).all() and torch.isfinite(hv).all())
        err = gt.rel_err(hv, fd) if finite else float("nan")
    finally:
        torch.set_default_dtype(torch.float32)
    return not (finite and err < 1e-5), f"forces finite: {bool(torch.isfinite(forces).all())}; Hessian-vector product finite: {bool(torch.isfinite(hv).all())}; H v vs FD of the forces: rel err {gt.fmt(err)}"


gt.main()
