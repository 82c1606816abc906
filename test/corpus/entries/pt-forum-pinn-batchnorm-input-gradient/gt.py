import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-pinn-batchnorm-input-gradient"


@gt.case(CASE)
def _():
    # The forum page lost the 'super().__init__()' line and the plotting module; the snippet's
    # class is run with them supplied, and the loop body is repeated here for the BatchNorm net.
    import types
    fake_plt = types.SimpleNamespace(subplots=lambda **k: (None, [None, None]))
    sys.modules.setdefault("matplotlib", types.ModuleType("matplotlib"))
    sys.modules["matplotlib.pyplot"] = fake_plt
    sys.modules["matplotlib"].pyplot = fake_plt
    src = open(os.path.join(os.path.dirname(__file__), "snippet.py")).read()
    src = src.replace("        self.batch_norm = batch_norm", "        super().__init__()\n        self.batch_norm = batch_norm", 1)
    ns: dict = {}
    exec(compile(src, "snippet.py", "exec"), ns)
    torch.manual_seed(7)
    net = ns["Net"](batch_norm=True)
    x_vals = torch.linspace(0, 1, 100, requires_grad=True)
    pred = net(x_vals[:, None])
    pred_dx = torch.autograd.grad(pred.sum(), x_vals, create_graph=True)[0]
    # per-sample derivative: the diagonal of the full Jacobian d pred_i / d x_i
    jac = torch.autograd.functional.jacobian(lambda z: net(z[:, None]).squeeze(1), x_vals.detach())
    diag = torch.diagonal(jac)
    err = gt.rel_err(pred_dx.detach(), diag)
    return err > 1e-3, f"grad(pred.sum(), x) vs per-sample dpred_i/dx_i: rel. err {err:.3g}; max |grad| {pred_dx.abs().max().item():.3g} (batch-normalized features sum to zero over the batch)"


gt.main()
