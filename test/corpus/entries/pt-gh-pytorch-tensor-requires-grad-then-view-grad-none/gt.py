"""Ground truth for pt-gh-pytorch-tensor-requires-grad-then-view-grad-none: runs the issue's snippet as posted
and reads X_view.grad (and X.grad, the contrast)."""
import contextlib
import io
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-pytorch-tensor-requires-grad-then-view-grad-none"


@gt.case(CASE)
def _():
    warnings.simplefilter("ignore")
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {})
    return ns["X_view"].grad is None and ns["X"].grad is not None, f"X.grad = {ns['X'].grad.flatten().tolist()}; X_view.grad = {ns['X_view'].grad}"


gt.main()
