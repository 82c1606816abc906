"""Ground truth for pt-gh-functorch-grad-of-grad-tuple: the snippet runs as posted (functorch, PyTorch
1.13). grad(compute_loss) returns one gradient per parameter (a tuple), so grad(grad(...)) asks for
the gradient of a non-scalar output and fails. Control: the second derivative the asker wants,
jacrev(grad(compute_loss)) (the Hessian blocks), checked against torch.autograd.functional.hessian
for the weight block."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from functorch import grad, jacrev  # noqa: E402


@gt.case("pt-gh-functorch-grad-of-grad-tuple")
def _():
    torch.manual_seed(0)
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    torch.manual_seed(0)
    source = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py"), encoding="utf-8").read()
    ns = {}
    exec(compile(source.rsplit("grad_weights2 =", 1)[0], "snippet.py", "exec"), ns)
    params, buffers, x, t = ns["params"], ns["buffers"], ns["x"], ns["t"]
    H = jacrev(grad(ns["compute_loss"]))(params, buffers, x, t)
    Hww = H[0][0].reshape(9, 9)
    ref = torch.autograd.functional.hessian(
        lambda w: ns["compute_loss"]((w.reshape(3, 3), params[1]), buffers, x, t), params[0].detach().reshape(-1))
    return err is not None, f"snippet: {err}; jacrev(grad(...)) weight block matches autograd.functional.hessian to {gt.fmt(gt.rel_err(Hww, ref))}"


gt.main()
