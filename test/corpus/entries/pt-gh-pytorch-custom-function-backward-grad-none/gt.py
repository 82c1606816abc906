"""Ground truth for pt-gh-pytorch-custom-function-backward-grad-none: runs the issue's main() as posted.
Inside Function.backward grad mode is off, so the recomputed 'out' has no graph; the snippet's own
print of autograd.grad's results shows (None,) (None,)."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-custom-function-backward-grad-none"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        err = gt.raises(ns["main"])
    printed = out.getvalue()
    line = [ln for ln in printed.splitlines() if ln.startswith("YYYY")]
    none_grads = bool(line) and "(None,) (None,)" in line[0]
    return none_grads, f"backward printed {line[0] if line else printed!r}; backward() then: {err!r}"


gt.main()
