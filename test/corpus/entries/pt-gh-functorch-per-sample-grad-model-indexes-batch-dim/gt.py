import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-functorch-per-sample-grad-model-indexes-batch-dim"


@gt.case(CASE)
def _():
    # The snippet's own text: the batch gradient works, vmap(grad(...)) over the samples fails because forward()
    # indexes a batch dimension that the per-sample function does not have.
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None, f"running the snippet: {err}"


gt.main()
