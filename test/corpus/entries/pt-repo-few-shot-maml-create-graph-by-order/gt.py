"""Ground truth for pt-repo-few-shot-maml-create-graph-by-order (correct look-alike): the snippet's
meta_gradient_step with order=2 on a small functional MLP (float64, 3-way 1-shot tasks of 5 features).
`few_shot.core.create_nshot_task_label` (imported by the snippet) is provided as in the repository
(labels 0..k-1, each repeated n times). The meta-gradient of one weight is compared with central finite
differences of the meta-loss (the same function with train=False, which only measures)."""
import os
import sys
import types
from collections import OrderedDict

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def create_nshot_task_label(k, q):
    return torch.arange(0, k, 1 / q).long()


core = types.ModuleType("few_shot.core")
core.create_nshot_task_label = create_nshot_task_label
pkg = types.ModuleType("few_shot")
pkg.core = core
sys.modules.setdefault("few_shot", pkg)
sys.modules.setdefault("few_shot.core", core)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.fc1 = nn.Linear(5, 8)
        self.out = nn.Linear(8, 3)

    def forward(self, x):
        return self.functional_forward(x, OrderedDict(self.named_parameters()))

    def functional_forward(self, x, w):
        return F.linear(torch.tanh(F.linear(x, w["fc1.weight"], w["fc1.bias"])), w["out.weight"], w["out.bias"])


@gt.case("pt-repo-few-shot-maml-create-graph-by-order")
def _():
    ns = gt.exec_snippet(__file__)
    step = ns["meta_gradient_step"]
    g = torch.Generator().manual_seed(2)
    x = torch.randn(2, 3 + 3, 5, generator=g, dtype=torch.float64)  # 2 tasks, k=3 n=1 support + q=1 query
    model = Net().double()
    opt = torch.optim.SGD(model.parameters(), lr=0.0)

    def run(train):
        return step(model, opt, F.cross_entropy, x, None, 1, 3, 1, 2, 2, 0.4, train, "cpu")

    run(True)
    grad = model.fc1.weight.grad[3, 2].item()
    h = 1e-6
    w = model.fc1.weight
    with torch.no_grad():
        w[3, 2] += h
    up = float(run(False)[0])
    with torch.no_grad():
        w[3, 2] -= 2 * h
    down = float(run(False)[0])
    with torch.no_grad():
        w[3, 2] += h
    fd = (up - down) / (2 * h)
    rel = abs(grad - fd) / max(abs(fd), 1e-12)
    return rel > 1e-5, f"d meta-loss / d fc1.weight[3,2]: autograd {gt.fmt(grad)}, finite differences {gt.fmt(fd)}, rel err {gt.fmt(rel)}"


gt.main()
