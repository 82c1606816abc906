import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-concatenated-leaves-backward"


@gt.case(CASE)
def _():
    # The snippet runs as quoted.
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch}))
    return err is not None and "only for scalar outputs" in err, f"loss.backward() raised {err}"


gt.main()
