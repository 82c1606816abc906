"""Ground truth for pt-gh-pinn-torch-boundary-zeros-like-leaf-ok: runs mse_b's right-boundary part and compares
its x-derivatives with d model / d x at x = 5 taken on a fresh leaf."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pinn-torch-boundary-zeros-like-leaf-ok"


@gt.case(CASE)
def _():
    data = {"tt": np.linspace(0, np.pi / 2, 201).reshape(1, -1)}
    ns = gt.exec_snippet(__file__, {"data": data, "N_b": 50})
    model = gt.mlp(2, 2, dtype=torch.float32)
    err = gt.raises(lambda: ns["mse_b"](model, ns["t_b"]))
    if err is not None:
        return True, f"mse_b raised {err!r}"
    u_x, v_x = ns["mse_b"](model, ns["t_b"])
    x = torch.full_like(ns["t_b"].detach(), 5.0).requires_grad_(True)
    h = model(torch.stack((x, ns["t_b"].detach()), axis=1))
    ref_u = torch.autograd.grad(h[:, 0].sum(), x, retain_graph=True)[0]
    ref_v = torch.autograd.grad(h[:, 1].sum(), x)[0]
    e = max(gt.rel_err(u_x, ref_u), gt.rel_err(v_x, ref_v))
    return e > 1e-5, f"boundary d/dx vs separate reference: rel err {gt.fmt(e)}"


gt.main()
