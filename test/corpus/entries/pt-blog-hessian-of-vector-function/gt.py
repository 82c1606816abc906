import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-blog-hessian-of-vector-function"


@gt.case(CASE)
def _():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ns = gt.exec_snippet(__file__)
    printed = out.getvalue().strip().splitlines()
    return "H" not in ns, f"Hessian computed: {'H' in ns}; printed: {printed[0][:110] if printed else ''}"


gt.main()
