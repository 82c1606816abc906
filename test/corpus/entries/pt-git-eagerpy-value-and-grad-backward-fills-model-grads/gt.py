import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-eagerpy-value-and-grad-backward-fills-model-grads"


class _BaseTensor:
    """Stand-in for eagerpy's BaseTensor: wraps a raw tensor (eagerpy is not installed here)."""

    def __init__(self, raw):
        self.raw = raw

    @property
    def shape(self):
        return self.raw.shape


for name in ("eagerpy", "eagerpy.tensor"):
    sys.modules.setdefault(name, types.ModuleType(name))
sys.modules["eagerpy.tensor.base"] = types.SimpleNamespace(BaseTensor=_BaseTensor)


@gt.case(CASE)
def _():
    # The snippet's value_and_grad, used the way an attack (foolbox) uses it during adversarial training: the
    # gradient of a model's loss with respect to the input, while the model's parameters are being trained.
    ns = gt.exec_snippet(__file__, {"__package__": "eagerpy.tensor", "TensorType": object, "torch": torch})
    T = ns["PyTorchTensor"]
    model = gt.mlp(3, 2)
    x = T(torch.rand(5, 3, dtype=torch.float64))
    y = torch.tensor([0, 1, 0, 1, 1])
    loss_fn = lambda xx: T(torch.nn.functional.cross_entropy(model(xx.raw), y))  # noqa: E731
    vg = T._value_and_grad_fn(x, loss_fn)
    _, g = vg(x)
    leaked = [p.grad for p in model.parameters() if p.grad is not None]
    xr = x.raw.clone().requires_grad_(True)
    want = torch.autograd.grad(torch.nn.functional.cross_entropy(model(xr), y), xr)[0]
    err = gt.rel_err(g.raw, want)
    return bool(leaked) or err > 1e-10, (
        f"parameters left with a .grad after the input gradient: {len(leaked)} of {len(list(model.parameters()))}; input gradient rel err {gt.fmt(err)}"
    )


gt.main()
