import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-pytorch-second-derivative-wrt-first-gradient"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None and ("not have been used" in err or "does not require grad" in err), f"grad(y, g) raised {err}"


gt.main()
