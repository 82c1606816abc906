"""Ground truth for pt-gh-pytorch-custom-function-detached-inner-graph: the snippet runs as posted
(gradcheck passes, gradgradcheck is the last line). The custom Function's backward differentiates a
graph built on a detached copy of x, so its result is not connected to the caller's x: the second
derivative of x**2 (analytically 2) comes out as 0 in gradgradcheck's analytical Jacobian."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-custom-function-detached-inner-graph")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    source = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py"), encoding="utf-8").read()
    ns = {}
    exec(compile(source.rsplit("assert torch.autograd.gradgradcheck", 1)[0], "snippet.py", "exec"), ns)
    x = torch.tensor([2.0, 3.0, 4.0], dtype=torch.double, requires_grad=True)
    g, = torch.autograd.grad(ns["Square"].apply(x).sum(), x, create_graph=True)
    g2, = torch.autograd.grad(g.sum(), x, allow_unused=True)
    second = [0.0, 0.0, 0.0] if g2 is None else g2.tolist()
    wrong = any(abs(s - 2.0) > 1e-9 for s in second)
    return wrong and err is not None, f"snippet: {err}; d2/dx2 of Square at x: {second} (analytic 2)"


gt.main()
