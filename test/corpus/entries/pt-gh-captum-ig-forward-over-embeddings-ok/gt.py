import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class IntegratedGradients:
    """Captum's gradient step for IntegratedGradients, reduced to the input itself (no interpolation): the inputs are
    made to require grad and the forward function's output is differentiated with respect to them
    (captum/_utils/gradient.py, compute_gradients: torch.autograd.grad)."""

    def __init__(self, forward_func):
        self.forward_func = forward_func
        self.grads = None

    def attribute(self, inputs):
        inputs = tuple(t.detach().requires_grad_() for t in inputs)
        out = self.forward_func(*inputs)
        self.grads = torch.autograd.grad(torch.unbind(out[:, 0]), inputs, allow_unused=True)
        return self.grads


@gt.case("pt-gh-captum-ig-forward-over-embeddings-ok")
def _():
    torch.manual_seed(0)
    model = types.SimpleNamespace(
        emb_drop=torch.nn.Dropout(0.0), bn1=torch.nn.BatchNorm1d(3).eval(), lin1=torch.nn.Linear(7, 8), drops=torch.nn.Dropout(0.0),
        bn2=torch.nn.BatchNorm1d(8).eval(), lin2=torch.nn.Linear(8, 8), bn3=torch.nn.BatchNorm1d(8).eval(), lin3=torch.nn.Linear(8, 2),
    )
    made = []

    class IG(IntegratedGradients):
        def __init__(self, f):
            super().__init__(f)
            made.append(self)

    names = {
        "model": model, "torch": torch, "F": F, "IntegratedGradients": IG, "embeddings_cat": torch.randn(4, 4),
        "test_set": types.SimpleNamespace(features_cont=torch.randn(4, 3)),
    }
    gt.exec_snippet(__file__, names)
    g_cat, g_cont = made[0].grads
    bad = g_cat is None or g_cont is None or float(g_cat.abs().sum()) == 0.0 or float(g_cont.abs().sum()) == 0.0
    detail = "gradients " + ", ".join("None" if g is None else gt.fmt(float(g.norm())) for g in (g_cat, g_cont))
    return bad, detail


gt.main()
