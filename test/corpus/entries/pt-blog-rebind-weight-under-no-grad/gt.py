import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-rebind-weight-under-no-grad"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    x, y = torch.randn(16, 3), torch.randn(16, 1)
    w = torch.randn(3, 1, requires_grad=True)
    ((x @ w - y) ** 2).mean().backward()
    ns = gt.exec_snippet(__file__, {"torch": torch, "w": w, "lr": 0.1})
    w2 = ns["w"]
    err = gt.raises(lambda: ((x @ w2 - y) ** 2).mean().backward())
    return (not w2.requires_grad) and err is not None, f"after the step w.requires_grad={w2.requires_grad}; next backward: {err or 'no error'}"


gt.main()
