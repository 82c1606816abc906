import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-pytorch-grad-wrt-cat-after-output"


@gt.case(CASE)
def _():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        err = gt.raises(lambda: gt.exec_snippet(__file__))
    first_two = out.getvalue().count("tensor(")
    return err is not None and "not have been used" in err, (
        f"the first two grads printed {first_two} tensors; grad(c, z) raised {err}")


gt.main()
