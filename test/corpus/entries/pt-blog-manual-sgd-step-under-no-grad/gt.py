import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-blog-manual-sgd-step-under-no-grad"
EXPECTED = [(4.4, 16.0, -24.0), (2.48, 10.24, 19.2), (4.016, 6.5536, -15.36), (2.7872, 4.1943, 12.288), (3.7702, 2.6844, -9.8304)]


@gt.case(CASE)
def _():
    out = io.StringIO()
    err = None
    with contextlib.redirect_stdout(out):
        err = gt.raises(lambda: gt.exec_snippet(__file__))
    if err is not None:
        return True, f"raised {err}"
    rows = []
    for line in out.getvalue().splitlines():
        if line.startswith("step="):
            fields = dict(kv.split("=") for kv in line.split())
            rows.append((float(fields["w"]), float(fields["loss"]), float(fields["grad"])))
    worst = max(abs(a - b) for r, e in zip(rows, EXPECTED) for a, b in zip(r, e)) if len(rows) == 5 else float("inf")
    return not worst < 1e-3, f"{len(rows)} steps; max deviation from the page's expected output {gt.fmt(worst)}"


gt.main()
