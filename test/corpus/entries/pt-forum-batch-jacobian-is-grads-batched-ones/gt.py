import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-forum-batch-jacobian-is-grads-batched-ones"


@gt.case(CASE)
def _():
    printed = []
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"print": printed.append}))
    return err is not None and not printed, f"the per-row Jacobian loop raises: {err}" if err else f"ran, printed {printed}"


gt.main()
