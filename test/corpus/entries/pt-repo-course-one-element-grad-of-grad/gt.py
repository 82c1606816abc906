import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-course-one-element-grad-of-grad"


@gt.case(CASE)
def _():
    # The snippet runs as quoted (prints captured): it must print 12, 12 and the hook's 7 without raising.
    seen = []
    ns = gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: seen.append(a[-1])})
    values = [float(v) for v in seen]
    wrong = values != [12.0, 12.0, 7.0] or ns["d2y_dx2"].shape != (1,)
    return wrong, f"printed {values}"


gt.main()
