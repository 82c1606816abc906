import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-pytorch-sigmoid-recurrence-written-into-preallocated-tensor")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch}))
    # the same recurrence f(n) = sigmoid(f(n-1) * x) kept in a list, then stacked
    x = torch.ones(1, dtype=torch.float64, requires_grad=True)
    vals = [torch.ones(1, dtype=torch.float64)]
    for i in range(1, 10):
        vals.append(torch.sigmoid(vals[-1] * x))
    g = torch.autograd.grad(torch.stack(vals).sum(), x)[0]
    return err is not None, f"script: {err}; written out of place d loss/dx = {gt.fmt(float(g))}"


gt.main()
