import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-repo-alchemical-forces-list-of-positions")
def _():
    # get_autograd_forces as in the repository: one energy per structure, one positions tensor per structure,
    # a ones vector as grad_outputs. Each structure's energy depends only on its own positions, so every
    # returned tensor is that structure's -dE/dR; create_graph=True lets a force loss train the model.
    ns = gt.exec_snippet(__file__)
    model = gt.mlp(3, 1)

    def energy(pos):
        d = pos[:, None, :] - pos[None, :, :]
        return model(d.reshape(-1, 3)).sum()

    positions = [torch.randn(n, 3, dtype=torch.float64, requires_grad=True) for n in (3, 4, 2)]
    energies = torch.stack([energy(p) for p in positions])
    forces = ns["get_autograd_forces"](energies, positions)
    errs = [gt.rel_err(f, -torch.autograd.grad(energy(p), p)[0]) for f, p in zip(forces, positions)]
    gw = torch.autograd.grad(sum(f.pow(2).sum() for f in forces), list(model.parameters()), allow_unused=True)
    reach = sum(g.abs().sum().item() for g in gw if g is not None)
    return not (max(errs) < 1e-12 and reach > 0), f"max rel. err vs per-structure -dE/dR {max(errs):.2g}; |d(force loss)/dw|_1 {reach:.3g}"


gt.main()
