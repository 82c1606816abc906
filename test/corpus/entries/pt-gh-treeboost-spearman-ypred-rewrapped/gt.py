"""Ground truth for pt-gh-treeboost-spearman-ypred-rewrapped: treeboost_autograd differentiates the custom loss
with respect to the predictions it passes in (a tensor with requires_grad=True). The snippet's line runs on such a
ypred, a loss is computed from ypred_th (a squared error against targets, standing in for the asker's
correlation), and its derivative with respect to ypred is taken with torch.autograd.grad."""
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-treeboost-spearman-ypred-rewrapped"


@gt.case(CASE)
def _():
    ypred = torch.rand(10, dtype=torch.float64, requires_grad=True)
    ytrue = torch.rand(10, dtype=torch.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ns = gt.exec_snippet(__file__, {"torch": torch, "ypred": ypred, "lenypred": 10})
    loss = ((ns["ypred_th"] - ytrue.reshape(1, 10)) ** 2).sum()
    err = gt.raises(lambda: torch.autograd.grad(loss, ypred))
    return err is not None, f"torch.autograd.grad(loss, ypred): {err}"


gt.main()
