"""Ground truth for pt-gh-hierarchical-classification-dependence-loss-through-argmax: the snippet's
HierarchicalLossNetwork on a small two-level classifier. train.py adds calculate_dloss to
calculate_lloss and calls backward(); the case checks whether the dependence loss, which is
positive when predictions break the hierarchy, changes the parameter gradient. The repository's
helper module (read_meta, which unpickles CIFAR-100's meta file) is replaced by a stand-in that
returns two coarse and four fine label names."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-hierarchical-classification-dependence-loss-through-argmax"


def helper_stand_in():
    helper = types.ModuleType("helper")
    helper.read_meta = lambda metafile: (["animal", "vehicle"], ["cat", "dog", "car", "bus"])
    sys.modules["helper"] = helper


@gt.case(CASE)
def _():
    helper_stand_in()
    ns = gt.exec_snippet(__file__, {})
    hierarchy = {"animal": ["cat", "dog"], "vehicle": ["car", "bus"]}
    torch.manual_seed(0)
    body = torch.nn.Linear(6, 8)
    head1, head2 = torch.nn.Linear(8, 2), torch.nn.Linear(8, 4)
    params = list(body.parameters()) + list(head1.parameters()) + list(head2.parameters())
    x = torch.randn(32, 6)
    y1 = torch.randint(0, 2, (32,))
    y2 = torch.randint(0, 4, (32,))

    def grads(beta):
        hln = ns["HierarchicalLossNetwork"]("meta", hierarchy, beta=beta)
        h = torch.relu(body(x))
        prediction = [head1(h), head2(h)]
        dloss = hln.calculate_dloss(prediction, [y1, y2])
        lloss = hln.calculate_lloss(prediction, [y1, y2])
        total_loss = lloss + dloss
        return float(dloss), torch.autograd.grad(total_loss, params)

    dloss, with_d = grads(0.8)
    _, without_d = grads(0.0)
    diff = max(float((a - b).abs().max()) for a, b in zip(with_d, without_d))
    misbehaves = dloss > 0 and diff == 0.0
    return misbehaves, f"dependence loss {gt.fmt(dloss)}; largest change of a parameter gradient from it: {gt.fmt(diff)}"


gt.main()
