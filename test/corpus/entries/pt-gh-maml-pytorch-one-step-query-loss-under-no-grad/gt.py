import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn, optim  # noqa: E402

CASE = "pt-gh-maml-pytorch-one-step-query-loss-under-no-grad"


class Learner(nn.Module):
    """Stand-in for the repository's functional Learner: a linear classifier run with given weights."""

    def __init__(self, config, imgc, imgsz):
        super().__init__()
        torch.manual_seed(0)
        self.vars = nn.ParameterList([nn.Parameter(torch.randn(3, imgc * imgsz * imgsz) * 0.1), nn.Parameter(torch.zeros(3))])

    def forward(self, x, vars=None, bn_training=True):
        w, b = list(self.vars) if vars is None else list(vars)
        return F.linear(x.flatten(1), w, b)

    def parameters(self, recurse=True):
        return self.vars


@gt.case(CASE)
def _():
    # The snippet's class runs as quoted (trimmed to the loss lines) on random 3-way tasks.
    ns = gt.exec_snippet(__file__, {"nn": nn, "F": F, "torch": torch, "optim": optim, "Learner": Learner})
    torch.manual_seed(1)
    x_spt, y_spt = torch.randn(2, 6, 1, 2, 2), torch.randint(0, 3, (2, 6))
    x_qry, y_qry = torch.randn(2, 6, 1, 2, 2), torch.randint(0, 3, (2, 6))
    results = {}
    for steps in (1, 2):
        args = SimpleNamespace(update_lr=0.1, meta_lr=0.01, update_step=steps, imgc=1, imgsz=2)
        meta = ns["Meta"](args, None)
        err = gt.raises(lambda: meta(x_spt, y_spt, x_qry, y_qry))
        results[steps] = err
    bug = results[1] is not None and "does not require grad" in results[1] and results[2] is None
    return bug, f"update_step=1: {results[1]}; update_step=2: {results[2] or 'trains'}"


gt.main()
