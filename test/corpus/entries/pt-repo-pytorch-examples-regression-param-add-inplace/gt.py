import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pytorch-examples-regression-param-add-inplace"


@gt.case(CASE)
def _():
    # The whole example script runs as quoted; it fails at the first parameter update.
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None and "in-place" in err, f"running the example raised {err}"


gt.main()
