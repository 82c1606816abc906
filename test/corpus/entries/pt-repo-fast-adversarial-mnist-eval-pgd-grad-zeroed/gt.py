import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-repo-fast-adversarial-mnist-eval-pgd-grad-zeroed"


class Recording(torch.nn.Module):
    """Wraps the classifier; before each forward of the attack it reads what delta.grad holds,
    i.e. what the coming backward() would add to (delta is found as the leaf behind X + delta)."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.residuals = []

    def forward(self, inp):
        if inp.grad_fn is not None:
            for fn, _ in inp.grad_fn.next_functions:
                leaf = getattr(fn, "variable", None)
                if leaf is not None:
                    g = leaf.grad
                    self.residuals.append(0.0 if g is None else float(g.abs().max()))
        return self.net(inp)


@gt.case(CASE)
def _():
    net = gt.mlp(6, 3, width=16)
    X = torch.rand(32, 6, dtype=torch.float64)
    with torch.no_grad():
        y = net(X).argmax(1)
    model = Recording(net)
    ns = gt.exec_snippet(__file__, {"torch": torch, "F": F})
    cuda = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self  # the snippet moves tensors with .cuda(); run it on the CPU
    try:
        ns["attack_pgd"](model, X, y, epsilon=0.3, alpha=0.1, attack_iters=6, restarts=1)
    finally:
        torch.Tensor.cuda = cuda
    steps = len(model.residuals)
    worst = max(model.residuals) if model.residuals else float("nan")
    return not (steps >= 6 and worst == 0.0), (
        f"{steps} attack forwards; largest |delta.grad| left over before a backward: {gt.fmt(worst)}")


gt.main()
