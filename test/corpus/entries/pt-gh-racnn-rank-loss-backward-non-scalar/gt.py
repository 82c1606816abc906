"""Ground truth for pt-gh-racnn-rank-loss-backward-non-scalar: the snippet's RankLoss and Manager.do_batch, run with a
small three-scale stand-in for the RA-CNN (a list of score tensors, as the model returns) on a batch of 4 and on a
batch of 1: the rank step's backward raises for the batch of 4."""
import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.autograd import Variable  # noqa: E402

CASE = "pt-gh-racnn-rank-loss-backward-non-scalar"


class ThreeScales(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleList([nn.Linear(6, 5) for _ in range(3)])

    def forward(self, x):
        return [h(x) for h in self.heads]


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"nn": nn, "F": F, "torch": torch, "Variable": Variable})
    torch.manual_seed(0)
    model = ThreeScales()
    manager = ns["Manager"](SimpleNamespace(cuda=False), model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    err4 = gt.raises(lambda: manager.do_batch(opt, torch.rand(4, 6), torch.randint(0, 5, (4,)), optimize_class=False))
    err1 = gt.raises(lambda: manager.do_batch(opt, torch.rand(1, 6), torch.randint(0, 5, (1,)), optimize_class=False))
    return err4 is not None and err1 is None, f"batch of 4: {err4}; batch of 1: {err1 or 'runs'}"


gt.main()
