import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-pythonclear-vector-product-backward"


@gt.case(CASE)
def _():
    # The snippet runs as quoted (its prints silenced).
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None}))
    return err is not None and "only for scalar outputs" in err, f"A.backward() raised {err}"


gt.main()
