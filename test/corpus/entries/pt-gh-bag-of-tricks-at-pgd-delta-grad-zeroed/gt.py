"""Ground truth for pt-gh-bag-of-tricks-at-pgd-delta-grad-zeroed: the snippet's PGD loop, run on a small CPU model,
uses at every step the gradient of that step's loss alone (compared with a fresh autograd.grad at the same delta).
Stand-ins: Tensor.cuda returns the tensor; normalize is the identity; clamp, lower_limit and upper_limit as in the
repository (element-wise max/min with the image bounds 0 and 1); iter_count is returned by the repository's loop and
given here as a name."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def clamp(X, lower_limit, upper_limit):
    return torch.max(torch.min(X, upper_limit), lower_limit)


@gt.case("pt-gh-bag-of-tricks-at-pgd-delta-grad-zeroed")
def _():
    torch.Tensor.cuda = lambda self, *a, **k: self
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3))
    X = torch.rand(5, 1, 3, 4)
    y = torch.randint(0, 3, (5,))
    used, fresh = [], []
    real_backward = torch.Tensor.backward

    def spy_backward(self, *a, **k):
        # before the step's backward, the fresh derivative of the same loss at the same delta
        ns_delta = spy_backward.delta
        fresh.append(torch.autograd.grad(self, ns_delta, retain_graph=True)[0].clone())
        real_backward(self, *a, **k)
        used.append(ns_delta.grad.clone())

    ns = gt.exec_snippet(__file__, {"torch": torch, "F": F, "clamp": clamp, "normalize": lambda t: t,
                                    "lower_limit": torch.zeros(1), "upper_limit": torch.ones(1), "iter_count": None})

    def clamp_tracking(d, lo, hi):
        # the first clamp makes the perturbation that the loop marks requires_grad and updates through .data
        out = clamp(d, lo, hi)
        if not hasattr(spy_backward, "delta"):
            spy_backward.delta = out
        return out

    ns["clamp"] = clamp_tracking
    torch.Tensor.backward = spy_backward
    try:
        ns["attack_pgd"](model, X, y, epsilon=0.1, alpha=0.05, attack_iters=4, restarts=1, norm="l_inf")
    finally:
        torch.Tensor.backward = real_backward
    errs = [gt.rel_err(u, f) for u, f in zip(used, fresh)]
    worst = max(errs)
    return worst > 1e-6 or len(errs) != 4, f"{len(errs)} steps; worst rel err of delta.grad vs fresh gradient {gt.fmt(worst)}"


gt.main()
