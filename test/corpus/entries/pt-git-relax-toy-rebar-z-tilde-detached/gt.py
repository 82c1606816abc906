import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-relax-toy-rebar-z-tilde-detached"


@gt.case(CASE)
def _():
    # The quoted loss_func, _get_z_tilde and rebar run unchanged; the sampling lines of run_toy_example are
    # replayed for many independent batch-size-1 runs at once (the logit is repeated per run, so that each run
    # gets its own score-function term), and the estimator's mean is compared with the exact gradient of
    # E[f(b)] = theta (1 - t)^2 + (1 - theta) t^2 with respect to the logit.
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    n, t0 = 400000, 0.45
    target = torch.full((1, 1), t0, dtype=torch.float64)
    logits = torch.full((n, 1), 0.3, dtype=torch.float64, requires_grad=True)
    eta = torch.ones(1, dtype=torch.float64, requires_grad=True)
    log_temp = torch.full((1,), 0.5, dtype=torch.float64, requires_grad=True)
    u = torch.rand(n, 1, dtype=torch.float64)
    v = torch.rand(n, 1, dtype=torch.float64)
    z = logits.detach() + torch.log(u) - torch.log1p(-u)
    z.requires_grad_(True)
    b = z.gt(0.).type_as(z)
    f_b = ns["loss_func"](b, target)
    d_logits = ns["rebar"](f_b=f_b, b=b, logits=logits, z=z, v=v, eta=eta, log_temp=log_temp, target=target)
    est = float(d_logits.mean())
    se = float(d_logits.std()) / n ** 0.5
    theta = float(torch.sigmoid(logits.detach()[0, 0]))
    exact = theta * (1 - theta) * ((1 - t0) ** 2 - t0 ** 2)
    z_score = abs(est - exact) / se
    return z_score > 6, f"REBAR mean {est:.5f} +- {se:.5f} (s.e.), exact gradient {exact:.5f}: {z_score:.1f} standard errors off"


gt.main()
