import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-tensor-of-parameter-list-drops-grad")
def _():
    printed = []
    ns = gt.exec_snippet(__file__, {"print": lambda *a, **k: printed.append(a[0])})
    p = ns["p"]
    # use the listed form in a loss, as a model would: the parameter gets no gradient
    built = torch.Tensor([p, ])
    err = gt.raises(lambda: (3.0 * built).sum().backward())
    stacked = torch.stack([p, ], dim=0)
    (3.0 * stacked).sum().backward()
    return printed == [True, False] and err is not None, (
        f"snippet prints {printed}; loss on torch.Tensor([p]): {err}; with torch.stack p.grad = {p.grad.tolist()}")


gt.main()
