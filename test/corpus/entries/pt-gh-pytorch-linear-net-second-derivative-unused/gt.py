import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-gh-pytorch-linear-net-second-derivative-unused"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"nn": nn}))
    return err is not None, f"second derivative of the linear network: {err or 'no error'}"


gt.main()
