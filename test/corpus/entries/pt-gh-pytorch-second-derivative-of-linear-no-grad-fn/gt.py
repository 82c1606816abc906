"""Ground truth for pt-gh-pytorch-second-derivative-of-linear-no-grad-fn: the snippet's second_deriv
helper, as posted (the issue's interactive lines, prompts removed). For x**2 it returns 2; for the
linear 2*x the first derivative is a constant without grad_fn and the second call raises instead
of returning 0. The same happens for a network that is linear in its input (a PINN or surrogate
without hidden nonlinearity): shown with nn.Linear as well."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-second-derivative-of-linear-no-grad-fn")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch}))
    source = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py"), encoding="utf-8").read()
    ns = {"torch": torch}
    exec(compile(source.rsplit("second_deriv(x*2, x)", 1)[0], "snippet.py", "exec"), ns)
    quad = float(ns["second_deriv"](ns["x"] ** 2, ns["x"]))
    lin = torch.nn.Linear(1, 1)
    xs = torch.tensor([[0.5]], requires_grad=True)
    err_net = gt.raises(lambda: ns["second_deriv"](lin(xs).sum(), xs))
    return err is not None, f"x**2: {gt.fmt(quad)}; 2*x: {err}; nn.Linear network: {err_net}"


gt.main()
