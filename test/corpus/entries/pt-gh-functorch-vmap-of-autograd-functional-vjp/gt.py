import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-functorch-vmap-of-autograd-functional-vjp"


@gt.case(CASE)
def _():
    # The snippet's own text. With functorch 0.1.1 (the report) the vmapped vjp returned zeros; PyTorch 1.13's
    # functorch refuses torch.autograd.functional inside a transform. Either way the batched vjp is not the per-sample one.
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None, f"running the snippet: {err}"


gt.main()
