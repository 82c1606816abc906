import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-forum-pointwise-jacobian-rows-by-component")
def _():
    # compute_jacobian as posted, on a point-wise MLP R^3 -> R^3 applied to N points (the thread's setting:
    # 'there is no interaction between ith and (i+1)st point'); compared with the per-point Jacobian.
    ns = gt.exec_snippet(__file__, {"torch": torch})
    net = gt.mlp(3, 3)
    inp = torch.randn(7, 3, dtype=torch.float64, requires_grad=True)
    J = ns["compute_jacobian"](inp, net(inp))
    ref = torch.stack([torch.autograd.functional.jacobian(lambda z: net(z.unsqueeze(0)).squeeze(0), inp[i].detach())
                       for i in range(inp.shape[0])])
    err = gt.rel_err(J, ref)
    # and it stays differentiable w.r.t. the weights (create_graph=True)
    gw = torch.autograd.grad(J.pow(2).sum(), list(net.parameters()), allow_unused=True)
    reach = sum(g.abs().sum().item() for g in gw if g is not None)
    return not (err < 1e-12 and reach > 0), f"rel. err vs per-point Jacobian {err:.2g}; |d(sum J^2)/dw|_1 {reach:.3g}"


gt.main()
