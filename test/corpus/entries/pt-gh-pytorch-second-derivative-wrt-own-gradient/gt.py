"""Ground truth for pt-gh-pytorch-second-derivative-wrt-own-gradient: runs the issue's snippet as posted."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-pytorch-second-derivative-wrt-own-gradient"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {}))
    return err is not None and "does not require grad" in err, f"the snippet raised {err!r}"


gt.main()
