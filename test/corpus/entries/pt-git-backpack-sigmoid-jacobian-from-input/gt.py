import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-backpack-sigmoid-jacobian-from-input"


def load_class():
    """The snippet's text with its two package-relative imports replaced by stand-ins: ``config`` names the DiagGGN
    extension, ``CTX`` holds the backpropagated quantity and says which extension is active."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path, encoding="utf-8") as fh:
        text = fh.read().replace("from . import config\n", "").replace("from .config import CTX\n", "")
    ctx = types.SimpleNamespace(_backpropagated_sqrt_ggn=None, is_active=lambda what: what == "DIAG_GGN")
    ns = {"__name__": "snippet", "config": types.SimpleNamespace(DIAG_GGN="DIAG_GGN"), "CTX": ctx}
    exec(compile(text, path, "exec"), ns)  # noqa: S102
    return ns["Sigmoid"], ctx


@gt.case(CASE)
def _():
    Sigmoid, ctx = load_class()
    torch.manual_seed(0)
    layer = Sigmoid()
    x = torch.randn(4, 3, dtype=torch.float64)
    layer(x)  # the forward pre-hook stores the layer's input
    # Backpropagate an identity square root (one column per output unit) through the layer: the result is the
    # transposed Jacobian of the sigmoid, diagonal with entries sigma'(x) = sigma(x) * (1 - sigma(x)).
    eye = torch.eye(3, dtype=torch.float64).expand(4, 3, 3).clone()
    layer._update_backpropagated_sqrt_ggn(eye)
    applied = torch.diagonal(ctx._backpropagated_sqrt_ggn, dim1=1, dim2=2)
    xr = x.clone().requires_grad_(True)
    (true,) = torch.autograd.grad(torch.sigmoid(xr).sum(), xr)
    err = gt.rel_err(applied, true)
    return err > 1e-8, f"Jacobian applied by the layer vs autograd's sigmoid derivative: relative error {gt.fmt(err)}"


gt.main()
