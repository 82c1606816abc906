"""Ground truth for pt-gh-hierarchical-dependence-loss-argmax: the workspace's HierarchicalLossNetwork (its
read_meta stubbed with two label lists) on the two heads of a small linear model. The gradient of
total_loss = lloss + dloss with respect to the model's parameters is compared with the gradient of lloss
alone: the dependence term, computed from argmax class ids, adds nothing (and has no grad_fn of its own)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-hierarchical-dependence-loss-argmax"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    src = open(os.path.join(HERE, "workspace", "model", "hierarchical_loss.py")).read()
    ns = {"read_meta": lambda metafile: (["a", "b"], ["a1", "a2", "b1", "b2"])}
    exec(compile(src, "hierarchical_loss.py", "exec"), ns)
    hln = ns["HierarchicalLossNetwork"](metafile_path=None, hierarchical_labels={"a": ["a1", "a2"], "b": ["b1", "b2"]})
    head1 = torch.nn.Linear(3, 2)
    head2 = torch.nn.Linear(3, 4)
    x = torch.randn(16, 3)
    y1 = torch.randint(0, 2, (16,))
    y2 = torch.randint(0, 4, (16,))

    def grads(with_dloss):
        for p in (*head1.parameters(), *head2.parameters()):
            p.grad = None
        pred = [head1(x), head2(x)]
        lloss = hln.calculate_lloss(pred, [y1, y2])
        dloss = hln.calculate_dloss(pred, [y1, y2])
        total = lloss + dloss if with_dloss else lloss
        total.backward()
        return [p.grad.clone() for p in (*head1.parameters(), *head2.parameters())], dloss

    with_d, dloss = grads(True)
    without, _ = grads(False)
    same = all(torch.allclose(a, b) for a, b in zip(with_d, without))
    return same and dloss.grad_fn is None, f"dloss = {float(dloss):.3g}, grad_fn {dloss.grad_fn}; total's parameter gradients equal lloss's: {same}"


gt.main()
