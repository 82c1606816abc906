import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-ptdarts-hessian-eps-precedence"


class TinySearchNet(torch.nn.Module):
    """A one-cell DARTS-like net: two candidate ops mixed by softmax(alpha), as SearchCNN exposes them
    through weights(), alphas() and loss(X, y)."""

    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        self.w1 = torch.nn.Parameter(torch.randn(4, 3, generator=g, dtype=torch.float64))
        self.w2 = torch.nn.Parameter(torch.randn(4, 3, generator=g, dtype=torch.float64))
        self.alpha = torch.nn.Parameter(torch.randn(2, generator=g, dtype=torch.float64))

    def weights(self):
        return iter([self.w1, self.w2])

    def alphas(self):
        return iter([self.alpha])

    def loss(self, X, y):
        a = torch.softmax(self.alpha, 0)
        out = a[0] * torch.tanh(X @ self.w1.T) + a[1] * torch.sin(X @ self.w2.T)
        return ((out.sum(1) - y) ** 2).mean()


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    net = TinySearchNet()
    architect = ns["Architect"](net, 0.9, 3e-4)
    torch.manual_seed(1)
    X, y = torch.randn(16, 3, dtype=torch.float64), torch.randn(16, dtype=torch.float64)
    dw = [torch.randn_like(w) for w in net.weights()]
    hessian = architect.compute_hessian(dw, X, y)[0]
    # exact: d/dalpha of <dw, dL_trn/dw> at the current w
    grads = torch.autograd.grad(net.loss(X, y), list(net.weights()), create_graph=True)
    exact = torch.autograd.grad(sum((g * d).sum() for g, d in zip(grads, dw)), [net.alpha])[0]
    e = gt.rel_err(hessian, exact)
    return e > 1e-3, f"compute_hessian vs exact mixed derivative: rel err {gt.fmt(e)} (ratio {gt.fmt(gt.ratio(hessian, exact))})"


gt.main()
