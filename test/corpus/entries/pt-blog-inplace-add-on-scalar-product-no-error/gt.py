import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-inplace-add-on-scalar-product-no-error"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    if err is not None:
        return True, f"quoted code raised {err}"
    ns = gt.exec_snippet(__file__)
    g = float(ns["x"].grad)
    # The page's text drops operators; with x ** 2 instead of x * 2 the in-place add is also harmless.
    x2 = torch.tensor([1.0], requires_grad=True)
    y2 = x2 ** 2
    y2.add_(1)
    err2 = gt.raises(lambda: y2.sum().backward())
    g2 = None if x2.grad is None else float(x2.grad)
    ok = abs(g - 2.0) < 1e-12 and err2 is None and g2 is not None and abs(g2 - 2.0) < 1e-12
    return not ok, f"no RuntimeError; dz/dx = {g} (analytic 2); with x ** 2: error {err2}, dz/dx = {g2} (analytic 2)"


gt.main()
