import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-second-derivative-wrt-gradient"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None, f"second derivative as written: {err or 'no error'}"


gt.main()
