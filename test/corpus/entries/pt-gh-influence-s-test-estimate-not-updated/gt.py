import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-influence-s-test-estimate-not-updated")
def _():
    # s_test as quoted (before the fix) on a small softmax regression; the "loader" yields the same full training
    # batch each time, so the recursion is deterministic. Its fixed point h = v + (1 - damp) h - H h / scale is
    # h* = (H / scale + damp I)^-1 v; compared with what s_test returns.
    ns = gt.exec_snippet(__file__, {"display_progress": lambda *a: None})
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2).double()
    x_tr, t_tr = torch.randn(20, 3, dtype=torch.float64), torch.randint(0, 2, (20,))
    z_test, t_test = torch.randn(1, 3, dtype=torch.float64), torch.tensor([1])
    loader = [(x_tr, t_tr)]
    damp, scale = 0.01, 25.0
    got = ns["s_test"](z_test, t_test, model, loader, damp=damp, scale=scale, recursion_depth=3000)
    got = torch.cat([g.detach().reshape(-1) for g in got])

    params = list(model.parameters())
    v = torch.cat([g.detach().reshape(-1) for g in ns["grad_z"](z_test, t_test, model)])
    n = v.numel()
    loss = ns["calc_loss"](model(x_tr), t_tr)
    g1 = torch.cat([g.reshape(-1) for g in torch.autograd.grad(loss, params, create_graph=True)])
    H = torch.stack([torch.cat([h.reshape(-1) for h in torch.autograd.grad(g1[i], params, retain_graph=True)]) for i in range(n)])
    exact = torch.linalg.solve(H / scale + damp * torch.eye(n, dtype=torch.float64), v)
    err = gt.rel_err(got, exact)
    return err > 1e-3, f"s_test vs (H/scale + damp I)^-1 v: rel. err {err:.3g} (|s_test| {got.norm():.3g}, |exact| {exact.norm():.3g})"


gt.main()
