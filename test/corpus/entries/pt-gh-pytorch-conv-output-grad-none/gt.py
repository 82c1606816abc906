import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch.autograd import Variable  # noqa: E402

CASE = "pt-gh-pytorch-conv-output-grad-none"


@gt.case(CASE)
def _():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ns = gt.exec_snippet(__file__, {"torch": torch, "nn": nn, "Variable": Variable, "xrange": range})
    printed = out.getvalue().strip().splitlines()
    # the second print is after backward(): y.grad is still None although y.requires_grad is True
    return printed[1] == "y.grad None" and printed[2] == "y.grad True", f"the snippet printed {printed}"


gt.main()
