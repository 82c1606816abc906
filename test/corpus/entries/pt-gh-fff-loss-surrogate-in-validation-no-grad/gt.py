"""Ground truth for pt-gh-fff-loss-surrogate-in-validation-no-grad: the snippet's fff_loss run as written with a small
linear encoder and decoder on 3-dimensional data, under torch.no_grad() (as a validation loop that disables gradients
calls it) and under torch.set_grad_enabled(True) (the reporter's workaround)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-fff-loss-surrogate-in-validation-no-grad"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {})
    enc = torch.nn.Linear(3, 3)
    dec = torch.nn.Linear(3, 3)
    x = torch.randn(8, 3)
    with torch.no_grad():
        err = gt.raises(lambda: ns["fff_loss"](x.clone(), enc, dec, beta=1.0))
    with torch.no_grad(), torch.set_grad_enabled(True):
        ok = ns["fff_loss"](x.clone(), enc, dec, beta=1.0)
    return err is not None, f"fff_loss under no_grad: {err}; with set_grad_enabled(True): mean loss {gt.fmt(float(ok.mean()))}"


gt.main()
