import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-repo-gpt-pinn-kg-second-derivatives-mixed")
def _():
    # second_derivatives() as quoted; the module-level `device` ("cuda") is swapped for the CPU after the
    # snippet runs (the function reads it at call time). P is a tanh PINN of (x, t).
    ns = gt.exec_snippet(__file__)
    ns["device"] = torch.device("cpu")
    PINN = gt.mlp(2, 1)
    xt = torch.rand(6, 2, dtype=torch.float64).requires_grad_(True)
    out_xx, out_tt = ns["second_derivatives"](xt, PINN(xt))

    # reference: the per-point Hessian of P w.r.t. (x, t)
    H = torch.stack([torch.autograd.functional.hessian(lambda z: PINN(z.unsqueeze(0)).sum(), xt[i].detach())
                     for i in range(xt.shape[0])])
    true_xx, true_tt, mixed = H[:, 0, 0:1], H[:, 1, 1:2], H[:, 0, 1:2]
    e_xx, e_tt = gt.rel_err(out_xx, true_xx), gt.rel_err(out_tt, true_tt)
    leak = gt.rel_err(out_xx, true_xx + mixed)  # what the code computes: u_xx + u_xt
    return e_xx > 1e-6 or e_tt > 1e-6, f"'u_xx' vs true u_xx rel. err {e_xx:.3g}; 'u_tt' vs u_tt {e_tt:.3g}; 'u_xx' vs u_xx + u_xt {leak:.2g}"


gt.main()
