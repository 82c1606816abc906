import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-inplace-leaf-index-add-is-leaf"


@gt.case(CASE)
def _():
    # The snippet runs as quoted (torch pre-defined). Operations 1-4 are caught by the asker's try/except;
    # operation 6 (`c[:] += 1`) is not: it either raises or leaves `c` a non-leaf whose .grad stays None.
    ns = {}
    err = gt.raises(lambda: ns.update(gt.exec_snippet(__file__, {"torch": torch})))
    if err is not None:
        return True, f"operation 6 raised {err}"
    c = ns["c"]
    c.sum().backward()
    return (not c.is_leaf) or c.grad is None, f"c.is_leaf={c.is_leaf}, c.grad is None: {c.grad is None}"


gt.main()
