import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-gemnet-forces-positions-requires-grad-toggled"


def _energies(net, R, batch_seg, n_mol):
    # A small pairwise-distance energy standing in for GemNet's interaction blocks: per-atom energies from the
    # distances to the other atoms of the same molecule, summed per molecule (scatter add = index_add).
    same = batch_seg[:, None] == batch_seg[None, :]
    d = (R[:, None, :] - R[None, :, :]).pow(2).sum(-1).add(1e-9).sqrt()
    e_pair = net(d.unsqueeze(-1)).squeeze(-1) * same * (1 - torch.eye(len(R), dtype=R.dtype))
    E_atom = e_pair.sum(1, keepdim=True)
    return torch.zeros(n_mol, 1, dtype=R.dtype).index_add(0, batch_seg, E_atom)


@gt.case(CASE)
def _():
    # Reproduction of the quoted lines (GemNet needs torch_scatter and its triplet indices): the positions are made
    # to require grad inside forward, molecule energies are summed into one scalar for autograd.grad with
    # create_graph=True, and requires_grad is switched off again before the force loss is back-propagated.
    torch.manual_seed(0)
    net = gt.mlp(1, 1, width=8)
    R = torch.rand(6, 3, dtype=torch.float64)
    batch_seg = torch.tensor([0, 0, 0, 1, 1, 1])
    F_target = torch.randn(6, 3, dtype=torch.float64)
    inputs = {"R": R}

    inputs["R"].requires_grad = True
    E_a = _energies(net, R, batch_seg, 2)
    F_j = -torch.autograd.grad(E_a.sum(), inputs["R"], create_graph=True)[0]
    inputs["R"].requires_grad = False
    ((F_j - F_target) ** 2).mean().backward()
    got = gt.param_grads(net)  # zeros where None (the output bias does not reach the forces)

    # Reference: per-molecule forces by finite differences of each molecule's energy, and the parameter
    # gradient of the same force loss with positions that keep requires_grad.
    R2 = R.detach().clone().requires_grad_(True)
    E2 = _energies(net, R2, batch_seg, 2)
    F2 = -torch.autograd.grad(E2.sum(), R2, create_graph=True)[0]
    want = torch.autograd.grad(((F2 - F_target) ** 2).mean(), list(net.parameters()), allow_unused=True)
    want = [torch.zeros_like(p) if w is None else w for p, w in zip(net.parameters(), want)]
    h = 1e-6
    fd = torch.zeros_like(R)
    with torch.no_grad():
        for a in range(6):
            for k in range(3):
                Rp, Rm = R.detach().clone(), R.detach().clone()
                Rp[a, k] += h
                Rm[a, k] -= h
                m = batch_seg[a]
                fd[a, k] = -(_energies(net, Rp, batch_seg, 2)[m] - _energies(net, Rm, batch_seg, 2)[m]) / (2 * h)
    f_err = gt.rel_err(F_j, fd)
    p_err = max(gt.rel_err(a, b) for a, b in zip(got, want))
    return f_err > 1e-6 or p_err > 1e-8, f"forces vs per-molecule finite differences: rel err {gt.fmt(f_err)}; force-loss parameter gradient vs reference: {gt.fmt(p_err)}"


gt.main()
