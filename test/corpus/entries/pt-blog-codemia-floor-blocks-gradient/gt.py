import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-codemia-floor-blocks-gradient"


@gt.case(CASE)
def _():
    seen = []
    ns = gt.exec_snippet(__file__, {"torch": torch, "print": lambda t: seen.append(float(t))})
    without_floor, with_floor = seen
    return with_floor == 0.0 and without_floor != 0.0, \
        f"d(3x)/dx = {without_floor}, d(3 floor(x))/dx = {with_floor} (x = {ns['x'].item()})"


gt.main()
