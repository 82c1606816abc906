import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-repo-nyu-dlsp20-arange-requires-grad"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"print": lambda *a, **k: None}))
    return err is not None and "floating point" in err, f"cell raised: {err or 'nothing'}"


gt.main()
