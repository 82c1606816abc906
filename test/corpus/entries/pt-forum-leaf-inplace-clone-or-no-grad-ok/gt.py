import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-leaf-inplace-clone-or-no-grad-ok"


@gt.case(CASE)
def _():
    ns = {}
    err = gt.raises(lambda: ns.update(gt.exec_snippet(__file__, {"torch": torch})))
    if err is not None:
        return True, f"snippet raised {err}"
    x, x2 = ns["x"], ns["x2"]
    # the clone path is differentiable: d(sum x2)/dx = 1; x stays a leaf and was moved by +1 without a graph
    g = torch.autograd.grad(x2.sum(), x)[0]
    ok = x.is_leaf and x.grad_fn is None and torch.equal(g, torch.ones(3)) and torch.equal(x.detach(), torch.tensor([2.0, 3.0, 4.0]))
    return not ok, f"x leaf {x.is_leaf}, x {x.detach().tolist()}, d sum(x2)/dx {g.tolist()}"


gt.main()
