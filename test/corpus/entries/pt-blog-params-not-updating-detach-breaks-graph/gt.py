import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-blog-params-not-updating-detach-breaks-graph"


@gt.case(CASE)
def _():
    ns = {}
    err = gt.raises(lambda: ns.update(gt.exec_snippet(__file__, {"print": lambda *a, **k: None})))
    if err is not None:
        return True, f"snippet raised: {err}"
    x = ns["x"]
    return x.grad is None, f"after loss.backward(): x.grad is {'None' if x.grad is None else x.grad.tolist()}"


gt.main()
