import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-guided-diffusion-cond-fn-grad-of-summed-log-probs"


@gt.case(CASE)
def _():
    # A classifier without batch coupling (per-sample MLP on the flattened image, time as an input),
    # called as the sampler calls cond_fn: under torch.no_grad(). Each row of the returned gradient is
    # compared with the gradient of that sample's own log-probability, computed one sample at a time.
    net = gt.mlp(3 * 4 * 4 + 1, 5)

    def classifier(x, t):
        return net(torch.cat([x.flatten(1), t.view(-1, 1).to(x.dtype)], dim=1))

    ns = gt.exec_snippet(__file__, {"classifier": classifier, "args": types.SimpleNamespace(classifier_scale=2.0)})
    x = torch.randn(6, 3, 4, 4, dtype=torch.float64)
    t = torch.arange(6)
    y = torch.randint(0, 5, (6,))
    with torch.no_grad():
        got = ns["cond_fn"](x, t, y=y)
    want = []
    for i in range(6):
        xi = x[i:i + 1].clone().requires_grad_(True)
        lp = torch.log_softmax(classifier(xi, t[i:i + 1]), dim=-1)[0, y[i]]
        want.append(2.0 * torch.autograd.grad(lp, xi)[0])
    err = gt.rel_err(got, torch.cat(want))
    return err > 1e-9, f"batched grad of the summed log-probs vs per-sample gradients: rel err {err:.2e}"


gt.main()
