import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-blog-yisu-vector-square-backward-no-gradient")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None, f"error: {err}"


gt.main()
