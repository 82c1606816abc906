import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch.autograd import Variable  # noqa: E402

CASE = "pt-gh-pytorch-module-attribute-cat-grad-none"


@gt.case(CASE)
def _():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ns = gt.exec_snippet(__file__, {"torch": torch, "nn": nn, "Variable": Variable, "xrange": range})
    printed = out.getvalue().strip().splitlines()
    leaf_grads = [v.grad is not None for v in ns["x"]]
    return printed[-1] == "None" and all(leaf_grads), (
        f"print(model.y.grad) printed {printed[-1]!r}; the Variables in the list (the leaves) got gradients: {leaf_grads}")


gt.main()
