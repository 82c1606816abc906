"""Ground truth for pt-gh-pytorch-cross-entropy-double-backward-ok (correct look-alike): the issue's own lines run
with PyTorch 1.13; x.grad is compared with the analytic gradient of L = l + sum(g * x), where g = dl/dx, which is
2 g + H x with H the (block-diagonal) Hessian of the mean cross-entropy."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-cross-entropy-double-backward-ok")
def _():
    torch.manual_seed(0)
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    if err:
        return True, f"raised: {err}"
    ns = gt.exec_snippet(__file__)
    x = ns["x"]
    xd = x.detach()
    p = torch.softmax(xd, 1)
    n = xd.shape[0]
    onehot = torch.zeros_like(p)
    onehot[:, 1] = 1
    g = (p - onehot) / n
    hx = (p * xd - p * (p * xd).sum(1, keepdim=True)) / n
    expected = 2 * g + hx
    e = gt.rel_err(x.grad, expected)
    return e > 1e-5, f"backward ran; x.grad vs analytic 2g + Hx: rel err {gt.fmt(e)}"


gt.main()
