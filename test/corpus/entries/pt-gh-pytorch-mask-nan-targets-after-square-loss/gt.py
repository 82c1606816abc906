import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import contextlib
import io
import gt, torch


@gt.case("pt-gh-pytorch-mask-nan-targets-after-square-loss")
def _():
    # Run the script as is; its last line asserts that the weight gradient has no NaN.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    ns = {"__name__": "snippet"}
    with contextlib.redirect_stdout(io.StringIO()):
        err = gt.raises(lambda: exec(compile(open(path).read(), path, "exec"), ns))
    grad = ns["m"].weight.grad
    # the same loss with the mask applied before the square (the script's else-branch)
    m2 = torch.nn.Linear(1, 2, bias=False)
    m2.weight.data.copy_(ns["m"].weight.data)
    y, mask = ns["y"], ns["y_mask"]
    l2 = torch.square(m2(ns["x"])[mask] - y[mask])
    l2.sum().backward()
    nan = bool(torch.isnan(grad).any())
    return nan, f"loss {ns['l'].tolist()} (finite); weight grad {grad.flatten().tolist()} (script: {err}); masked before the square: {m2.weight.grad.flatten().tolist()}"


gt.main()
