import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-blog-csdn-vector-backward-without-gradient"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None}))
    return err is not None and "only for scalar outputs" in err, f"z.backward(): {err or 'no error'}"


gt.main()
