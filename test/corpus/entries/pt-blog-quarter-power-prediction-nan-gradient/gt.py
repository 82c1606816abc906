import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-blog-quarter-power-prediction-nan-gradient"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    # Stand-in for the post's (unquoted) model: a linear regressor whose output is exactly 0 on one sample (an
    # all-zero input row, zero bias) -- the case the post diagnoses ("only when out = 0"); the other outputs are
    # made positive so the fourth root is defined in the forward pass.
    model = nn.Sequential(nn.Linear(4, 1))
    with torch.no_grad():
        model[0].weight.fill_(0.5)
        model[0].bias.zero_()
    x = torch.rand(64, 4)
    x[0] = 0.0
    y = torch.rand(64, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    names = {"model": model, "input": x, "y": y, "nn": nn, "optimizer": opt}
    zeros = int((model(x) == 0).sum())
    gt.exec_snippet(__file__, names)
    grads = {n: bool(torch.isfinite(p.grad).all()) for n, p in model.named_parameters()}
    bad = [n for n, p in model.named_parameters() if not torch.isfinite(p).all()]
    return len(bad) > 0, f"{zeros}/64 outputs exactly 0; finite grads: {grads}; non-finite parameters after the step: {bad}"


gt.main()
