import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


class MaskedAutoregressiveFlow(torch.nn.Module):
    """Stand-in for nflows' MAF (not installed here): a learnable affine flow with a standard-normal base,
    differentiable in its input like the real one."""
    def __init__(self, features, hidden_features, **kwargs):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(features, hidden_features), torch.nn.Tanh(),
                                       torch.nn.Linear(hidden_features, 2 * features))

    def log_prob(self, x):
        shift, log_scale = self.net(torch.zeros_like(x)).chunk(2, dim=1)
        z = (x - shift) * torch.exp(-log_scale)
        return (torch.distributions.Normal(0.0, 1.0).log_prob(z) - log_scale).sum(dim=1)


@gt.case("pt-gh-nflows-log-prob-input-grad-none")
def _():
    pkg = types.ModuleType("nflows")
    for name in ("transforms", "distributions", "flows"):
        setattr(pkg, name, types.ModuleType("nflows." + name))
    pkg.flows.MaskedAutoregressiveFlow = MaskedAutoregressiveFlow
    sys.modules["nflows"] = pkg
    printed = []
    ns = gt.exec_snippet(__file__, {"print": lambda *a: printed.append(a)})
    ns["main"]()
    # The thread's fix: build x with requires_grad=True; d log p / d x = -(x - shift) / scale^2.
    flow = MaskedAutoregressiveFlow(features=1, hidden_features=16)
    x = torch.tensor([[1.]], requires_grad=True)
    flow.log_prob(x).backward()
    return printed[0][0] is None and x.grad is not None, f"printed x.grad: {printed[0][0]}; with requires_grad=True: {x.grad.tolist()}"


gt.main()
