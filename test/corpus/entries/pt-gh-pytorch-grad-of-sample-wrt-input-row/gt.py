"""Ground truth for pt-gh-pytorch-grad-of-sample-wrt-input-row: the issue's snippet run as quoted; case 1 (a single
vector input) works, case 2 (`grad(y[0], x[0], ...)` of a batch) raises."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


@gt.case("pt-gh-pytorch-grad-of-sample-wrt-input-row")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch, "nn": nn}))
    return err is not None and "not have been used in the graph" in err, f"snippet raised: {err}"


gt.main()
