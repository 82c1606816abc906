import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-sciml-deeponet-normalizes-inside-forward"


@gt.case(CASE)
def _():
    # DeepONet with normalization statistics far from (0, 1) so that a derivative w.r.t. the normalized
    # coordinate would be off by 1/sqrt(var). The quoted residual's ds/dt (u_t = 0) is compared with
    # central differences of the model in the raw time coordinate.
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    mean = {"forcing": torch.full((5,), 0.3, dtype=torch.float64), "time": torch.tensor([2.0], dtype=torch.float64)}
    var = {"forcing": torch.full((5,), 4.0, dtype=torch.float64), "time": torch.tensor([9.0], dtype=torch.float64)}
    model = ns["DeepONet"](mean, var, hidden_dim=16, depth=2).double()
    u = torch.randn(12, 5, dtype=torch.float64)
    t = torch.linspace(0.0, 6.0, 12, dtype=torch.float64).view(-1, 1)
    ds_dt = ns["ODE_residual_calculator"](t, u, torch.zeros(12, 1, dtype=torch.float64), model)
    with torch.no_grad():
        fd = gt.fd_gradient(lambda tt: model(u, torch.from_numpy(tt)).numpy(), t.detach().numpy())
    err = gt.rel_err(ds_dt, fd)
    return err > 1e-5, f"ds/dt through the normalizing forward vs central differences in raw t: rel err {err:.2e}"


gt.main()
