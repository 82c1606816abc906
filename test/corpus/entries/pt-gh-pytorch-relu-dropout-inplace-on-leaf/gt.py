import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-pytorch-relu-dropout-inplace-on-leaf"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None and "leaf" in err, f"running the snippet raised {err}"


gt.main()
