import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pytheory-gradient-norm-grad-of-parameters-generator"


@gt.case(CASE)
def _():
    holder = {}

    def run():
        holder["ns"] = gt.exec_snippet(__file__)

    err = gt.raises(run)
    # the same lines up to gn2.backward(): the second-order gradient does exist in the parameters' .grad
    torch.manual_seed(0)
    model = torch.nn.Linear(2, 1)
    x, y = torch.tensor([4., 2.]), torch.tensor([1.])
    loss = torch.sum((y - model(x)) ** 2)
    g = torch.autograd.grad(loss, model.parameters(), create_graph=True)
    gn2 = sum(t.norm() ** 2 for t in g)
    gn2.backward()
    filled = all(p.grad is not None for p in model.parameters())
    return err is not None, f"quoted file: {err or 'ran'}; per-parameter .grad filled by the double backward: {filled}"


gt.main()
