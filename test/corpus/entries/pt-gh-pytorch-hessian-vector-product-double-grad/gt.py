import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-hessian-vector-product-double-grad"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"print": lambda *a, **k: None})
    torch.manual_seed(0)
    model = gt.mlp(3, 1, width=8)  # float64, tanh
    x, y = torch.rand(16, 3, dtype=torch.float64), torch.rand(16, 1, dtype=torch.float64)
    params = list(model.parameters())
    v = [torch.randn_like(p) for p in params]

    def loss_fn():
        return ((model(x) - y) ** 2).mean()

    Hv = ns["hv"](loss_fn(), model, v)

    # Reference: central difference of the gradient along v.
    h = 1e-5

    def grad_at(sign):
        with torch.no_grad():
            for p, d in zip(params, v):
                p.add_(sign * h * d)
        g = torch.autograd.grad(loss_fn(), params)
        with torch.no_grad():
            for p, d in zip(params, v):
                p.sub_(sign * h * d)
        return g

    gp, gm = grad_at(1.0), grad_at(-1.0)
    fd = [(a - b) / (2 * h) for a, b in zip(gp, gm)]
    err = gt.rel_err(torch.cat([t.flatten() for t in Hv]), torch.cat([t.flatten() for t in fd]))
    return err > 1e-5, f"Hessian-vector product vs central difference of the gradient along v: rel. error {gt.fmt(err)}"


gt.main()
