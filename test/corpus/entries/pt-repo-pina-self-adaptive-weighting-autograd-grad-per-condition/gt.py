import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pina-self-adaptive-weighting-autograd-grad-per-condition"


class _WeightingInterface:
    """Stand-in for PINA's base class (keeps the constructor argument)."""

    def __init__(self, update_every_n_epochs=1):
        self.update_every_n_epochs = update_every_n_epochs


@gt.case(CASE)
def _():
    # Two PINN loss terms of one network; the weights returned must be sum(norms) / norm(condition)
    # with each condition's own parameter-gradient norm, and no .grad may be left behind.
    ns = gt.exec_snippet(__file__, {"WeightingInterface": _WeightingInterface})
    net = gt.mlp(1, 1)
    x = torch.rand(32, 1, dtype=torch.float64, requires_grad=True)
    u = net(x)
    u_x = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]
    losses = {"physics": ((u_x + u - torch.cos(x)) ** 2).mean(),
              "boundary": (net(torch.zeros(1, 1, dtype=torch.float64)) ** 2).mean()}
    own = {k: gt.norm_of(torch.autograd.grad(v, list(net.parameters()), retain_graph=True)) for k, v in losses.items()}
    w = ns["SelfAdaptiveWeighting"]()
    w.solver = types.SimpleNamespace(model=net)
    got = w.weights_update(losses)
    total = sum(own.values())
    err = max(abs(float(got[k]) - total / own[k]) / (total / own[k]) for k in losses)
    leaked = any(p.grad is not None for p in net.parameters())
    return err > 1e-9 or leaked, f"weights vs sum/own gradient norms: rel err {err:.2e}; .grad left on parameters: {leaked}"


gt.main()
