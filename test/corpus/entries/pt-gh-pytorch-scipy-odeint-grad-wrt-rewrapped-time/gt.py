import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-pytorch-scipy-odeint-grad-wrt-rewrapped-time"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None and "not have been used" in err, f"grad(y[-1,0], t[-1,0]) raised {err}"


gt.main()
