import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-sac-tanh-log-prob-correction"


@gt.case(CASE)
def _():
    # The quoted GaussianPolicy runs unchanged; its log_prob of the squashed action is compared with the exact
    # density of tanh(x), x ~ N(mean, std), from torch.distributions (TanhTransform), at the same actions, and
    # the reparameterized gradient of E[log_prob] with respect to the policy weights is compared likewise.
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    policy = ns["GaussianPolicy"](3, 2, 16).double()
    state = torch.randn(256, 3, dtype=torch.float64)
    action, log_prob, _ = policy.sample(state)
    mean, log_std = policy(state)
    exact = torch.distributions.TransformedDistribution(
        torch.distributions.Normal(mean, log_std.exp()), [torch.distributions.transforms.TanhTransform()])
    want = exact.log_prob(action.clamp(-1 + 1e-12, 1 - 1e-12)).sum(1, keepdim=True)
    err = gt.rel_err(log_prob, want)
    g_got = torch.autograd.grad(log_prob.mean(), list(policy.parameters()), retain_graph=True)
    g_want = torch.autograd.grad(want.mean(), list(policy.parameters()))
    gerr = max(gt.rel_err(a, b) for a, b in zip(g_got, g_want))
    return err > 1e-3 or gerr > 1e-2, f"log_prob vs the TanhTransform density: rel. error {err:.2g}; its gradient: {gerr:.2g}"


gt.main()
