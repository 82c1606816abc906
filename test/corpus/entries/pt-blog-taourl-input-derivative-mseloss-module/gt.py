import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-blog-taourl-input-derivative-mseloss-module"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"print": lambda *a, **k: None}))
    return err is not None, f"quoted example: {err or 'no error'}"


gt.main()
