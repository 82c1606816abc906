import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-tfg-guidance-grad-wrt-reassigned-x0")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "check_grad_fn": lambda x: None,
                                    "rescale_grad": lambda grad, clip_scale=1.0, **kw: grad})
    torch.manual_seed(0)
    unet = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.Tanh(), torch.nn.Conv2d(4, 1, 3, padding=1)).double()
    alpha_prod_t = torch.tensor(0.6, dtype=torch.float64)
    # methods/dps.py's x0 predictor (the unet's time argument dropped in this stand-in)
    func = lambda zt: (zt - (1 - alpha_prod_t) ** (0.5) * unet(zt)) / (alpha_prod_t ** (0.5))
    task = types.SimpleNamespace(args=types.SimpleNamespace(batch_id=0, per_sample_batch_size=2, device="cpu"),
                                 images=torch.rand(2, 1, 4, 64, dtype=torch.float64))
    xt = torch.randn(2, 1, 4, 64, dtype=torch.float64)
    got = ns["get_guidance"](task, xt.clone().requires_grad_(), func)
    # DPS guidance: the gradient of log p(y | x0_hat(xt)) with respect to xt itself (through the unet).
    x = xt.clone().requires_grad_()
    x0 = func(x)
    mask = torch.ones_like(x0); mask[:, :, :, 64 // 2 - 20: 64 // 2 + 20] = 0
    logp = -torch.norm(task.images * mask - x0 * mask, p=2, dim=(1, 2, 3))
    ref = torch.autograd.grad(logp.sum(), x)[0]
    err = gt.rel_err(got, ref)
    return err > 1e-3, f"guidance from grad w.r.t. the reassigned x_need_grad (x0 estimate) vs w.r.t. x_t: rel. err {err:.3g}"


gt.main()
