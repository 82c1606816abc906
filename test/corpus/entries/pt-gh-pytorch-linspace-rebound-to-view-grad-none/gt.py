"""Ground truth for pt-gh-pytorch-linspace-rebound-to-view-grad-none: runs the issue's snippet as posted."""
import contextlib
import io
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-pytorch-linspace-rebound-to-view-grad-none"


@gt.case(CASE)
def _():
    warnings.simplefilter("ignore")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        gt.exec_snippet(__file__, {})
    printed = out.getvalue().strip()
    return printed == "None", f"print(lhs_pos.grad) printed {printed!r}"


gt.main()
