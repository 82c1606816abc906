import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-pytorch-hessian-diagonal-via-split-inputs")
def _():
    ns = gt.exec_snippet(__file__)
    got = torch.cat([t[0] for t in ns["d2f_d2x"]])
    err1 = gt.rel_err(got, torch.full_like(got, 2.0))
    # the same lines with a coupled function, against the diagonal of the full Hessian
    f = lambda x: (torch.sin(x[:-1]) * x[1:] ** 2).sum() + (x ** 3).sum()
    x0 = torch.randn(5, dtype=torch.float64)
    x = x0.clone().requires_grad_(True)
    x_splitted = x.split(1, -1)
    xc = torch.cat(x_splitted)
    df_dx = torch.autograd.grad(f(xc).sum(), xc, create_graph=True)[0]
    diag = torch.cat([torch.autograd.grad(g_i, x_i, retain_graph=True)[0]
                      for g_i, x_i in zip(df_dx.split(1, -1), x_splitted)])
    ref = torch.diagonal(torch.autograd.functional.hessian(f, x0))
    err2 = gt.rel_err(diag, ref)
    return not (err1 < 1e-12 and err2 < 1e-12), f"snippet: d2f/dx_i^2 = {got.tolist()} (rel. err {gt.fmt(err1)}); coupled f vs Hessian diagonal rel. err {gt.fmt(err2)}"


gt.main()
