import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-runebook-custom-function-one-grad-for-two-inputs"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    x = torch.randn(3, requires_grad=True)
    y = torch.randn(3, requires_grad=True)
    err = gt.raises(lambda: ns["MyAdd"].apply(x, y).sum().backward())
    return err is not None, f"MyAdd.apply(x, y).sum().backward(): {err or 'no error'}"


gt.main()
