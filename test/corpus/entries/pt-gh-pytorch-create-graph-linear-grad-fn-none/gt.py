"""Ground truth for pt-gh-pytorch-create-graph-linear-grad-fn-none: the snippet raises at the second grad."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-create-graph-linear-grad-fn-none")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch}))
    return err is not None, f"snippet: {err or 'ran'} (the mathematically right second derivative is 0)"


gt.main()
