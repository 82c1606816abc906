import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pina-ntk-weighting-backward-accumulates-grads"


class _WeightingInterface:
    """Stand-in for PINA's base class: keeps the constructor argument and the stored weights."""

    def __init__(self, update_every_n_epochs=1):
        self.update_every_n_epochs = update_every_n_epochs

    def last_saved_weights(self):
        return {}


@gt.case(CASE)
def _():
    # Two PINN-like loss terms of one network (a residual with d/dx and a boundary term). The norm the
    # quoted update stores for each condition is compared with that condition's own gradient norm.
    ns = gt.exec_snippet(__file__, {"WeightingInterface": _WeightingInterface})
    net = gt.mlp(1, 1)
    x = torch.rand(32, 1, dtype=torch.float64, requires_grad=True)
    u = net(x)
    u_x = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]
    losses = {"physics": ((u_x + u - torch.cos(x)) ** 2).mean(),
              "boundary": (net(torch.zeros(1, 1, dtype=torch.float64)) ** 2).mean()}
    own = {k: gt.norm_of(torch.autograd.grad(v, list(net.parameters()), retain_graph=True)) for k, v in losses.items()}
    w = ns["NeuralTangentKernelWeighting"]()
    w.solver = types.SimpleNamespace(model=net)
    stored = {}
    real_norm = torch.Tensor.norm

    def spy(self, *a, **k):
        out = real_norm(self, *a, **k)
        stored[len(stored)] = float(out)
        return out

    torch.Tensor.norm = spy
    try:
        w.weights_update(losses)
    finally:
        torch.Tensor.norm = real_norm
    got = dict(zip(losses, (stored[0], stored[1])))
    rel = abs(got["boundary"] - own["boundary"]) / own["boundary"]
    return rel > 1e-6, (f"norm stored for 'boundary' {got['boundary']:.4g} vs its own gradient norm "
                        f"{own['boundary']:.4g} ('physics' {got['physics']:.4g} vs {own['physics']:.4g})")


gt.main()
