"""Ground truth for pt-gh-pytorch-rand-rebound-to-column-view-grad-none: runs the issue's snippet as posted;
the first print (after the rebinding to a view) must be None, the second (no view) the ones."""
import contextlib
import io
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-pytorch-rand-rebound-to-column-view-grad-none"


@gt.case(CASE)
def _():
    warnings.simplefilter("ignore")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        gt.exec_snippet(__file__, {})
    lines = out.getvalue().strip().splitlines()
    return lines[0] == "None" and lines[-1].startswith("tensor([1."), f"printed {lines!r}"


gt.main()
