import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-yunjey-tutorial-basics-int-requires-grad"


@gt.case(CASE)
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch}))
    return err is not None and "floating point" in err, f"running the snippet raised {err}"


gt.main()
