import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import contextlib
import io
import gt, torch
import torch.distributions as dist


@gt.case("pt-gh-pytorch-normal-log-prob-nan-input-subset")
def _():
    # Since PyTorch 1.8 distributions validate their arguments by default and Normal(loc=nan) raises;
    # the issue (PyTorch 0.4.1) ran without validation, so run the script that way, then as is.
    torch.manual_seed(0)
    dist.Distribution.set_default_validate_args(False)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            ns = gt.exec_snippet(__file__, {})
    finally:
        dist.Distribution.set_default_validate_args(True)
    grad = float(ns["k"].grad)
    loss = float(ns["loss"])
    # the same loss with the NaN row dropped before the distribution
    k2 = ns["k"].detach().clone().requires_grad_()
    l2 = -dist.Normal(loc=k2 * ns["x"][:-1], scale=1).log_prob(ns["y"][:-1]).mean()
    l2.backward()
    with contextlib.redirect_stdout(io.StringIO()):
        err = gt.raises(lambda: gt.exec_snippet(__file__, {}))
    nan = grad != grad
    return nan, f"loss {gt.fmt(loss)} (finite), k.grad {grad}; selecting before the distribution: {gt.fmt(float(k2.grad))}; with default argument validation the script stops at Normal(...): {err}"


gt.main()
