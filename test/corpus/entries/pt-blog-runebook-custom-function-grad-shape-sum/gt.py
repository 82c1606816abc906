import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-runebook-custom-function-grad-shape-sum"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {})
    x = torch.randn(3, dtype=torch.float64, requires_grad=True)
    y = torch.randn(3, dtype=torch.float64, requires_grad=True)
    err = gt.raises(lambda: ns["MyCustomOp"].apply(x, y).sum().backward())
    if err is not None:
        return True, f"backward: {err}"
    # if the shapes were accepted, compare with the true derivative y
    return gt.rel_err(x.grad, y) > 1e-6, f"dx {x.grad.tolist()} vs y {y.tolist()}"


gt.main()
