import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-view-rebinds-leaf-grad-none"


@gt.case(CASE)
def _():
    printed = []
    gt.exec_snippet(__file__, {"print": printed.append})
    first = printed[0]
    return first is None, f"x1.grad after the view: {'None' if first is None else 'a tensor'}; second print: {'None' if printed[1] is None else 'a tensor'}"


gt.main()
