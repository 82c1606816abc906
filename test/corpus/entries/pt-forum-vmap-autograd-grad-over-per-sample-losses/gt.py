import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import functorch  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-vmap-autograd-grad-over-per-sample-losses"


@gt.case(CASE)
def _():
    # The snippet's own text. PyTorch 1.13 has no torch.vmap yet: functorch's vmap (what torch.vmap became) stands in.
    if not hasattr(torch, "vmap"):
        torch.vmap = functorch.vmap
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None, f"running the snippet: {err}"


gt.main()
