"""Ground truth for pt-git-morvan-gan-generator-step-first: runs the tutorial's loop (plotting removed) for 30 iterations instead of 10000."""
import builtins
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")

CASE = "pt-git-morvan-gan-generator-step-first"


@gt.case(CASE)
def _():
    short = lambda *a: builtins.range(30) if a == (10000,) else builtins.range(*a)  # noqa: E731  (only the training loop)
    box = {}

    def run():
        box["ns"] = gt.exec_snippet(__file__, {"range": short})

    err = gt.raises(run)
    if err is not None:
        return "modified by an inplace operation" in err, f"the loop raised {err!r}"
    ns = box["ns"]
    return False, f"30 iterations ran; last D_loss {ns['D_loss'].item():.4g}, G_loss {ns['G_loss'].item():.4g}"


gt.main()
