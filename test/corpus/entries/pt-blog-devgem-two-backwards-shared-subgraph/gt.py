import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-blog-devgem-two-backwards-shared-subgraph"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None, f"second backward: {err or 'no error'}"


gt.main()
