import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-clone-leaf-then-inplace-add-zh"


@gt.case(CASE)
def _():
    ns = {}
    err = gt.raises(lambda: ns.update(gt.exec_snippet(__file__)))
    if err is not None:
        return True, f"quoted cells raised {err}"
    x, x2 = ns["x"], ns["x2"]
    x2.sum().backward()
    ok = x.grad is not None and torch.allclose(x.grad, torch.ones(3))
    return not ok, f"no error; x.grad after x2.sum().backward(): {None if x.grad is None else x.grad.tolist()}"


gt.main()
