import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-blog-item-then-backward"


@gt.case(CASE)
def _():
    names = {}
    err = gt.raises(lambda: names.update(gt.exec_snippet(__file__)))
    return err is not None, f"z.backward() after item(): {err or 'ran'}"


gt.main()
