"""Ground truth for pt-git-pina-ntk-weighting-autograd-grad: the snippet's NeuralTangentKernelWeighting
(PINA) on a small model with two loss terms (a residual-like and a boundary-like mean square). The
weights it returns are compared with the NTK formula evaluated on each term's own parameter
gradient, computed separately with torch.autograd.grad. WeightingInterface and the solver are
minimal stand-ins: the base class stores update_every_n_epochs, the solver holds the model, and no
weights were saved before (last_saved_weights() is empty)."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-pina-ntk-weighting-autograd-grad"


class WeightingInterface:
    def __init__(self, update_every_n_epochs=1):
        self.update_every_n_epochs = update_every_n_epochs
        self.solver = None

    def last_saved_weights(self):
        return {}


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"WeightingInterface": WeightingInterface})
    model = gt.mlp(2, 1)
    x = torch.rand(32, 2, dtype=torch.float64)
    xb = torch.rand(8, 2, dtype=torch.float64)

    def losses():
        return {"physics": ((model(x) - 2.0) ** 2).mean(), "boundary": (model(xb) ** 2).mean()}

    params = list(model.parameters())
    norms = {}
    for name, loss in losses().items():
        g = torch.autograd.grad(loss, params)
        norms[name] = torch.cat([t.flatten() for t in g]).norm()
    alpha = 0.5
    expected = {k: alpha + (1 - alpha) * n / sum(norms.values()) for k, n in norms.items()}

    weighting = ns["NeuralTangentKernelWeighting"](alpha=alpha)
    weighting.solver = types.SimpleNamespace(model=model)
    model.zero_grad(set_to_none=True)
    err = gt.raises(lambda: weighting.weights_update(losses()))
    if err is not None:
        return True, f"weights_update raises {err}"
    model.zero_grad(set_to_none=True)
    got = weighting.weights_update(losses())
    worst = max(abs(float(got[k]) - float(expected[k])) for k in expected)
    detail = ", ".join(f"{k}: {float(got[k]):.4f} (per-term {float(expected[k]):.4f})" for k in expected)
    return worst > 1e-6, f"NTK weights {detail}"


gt.main()
