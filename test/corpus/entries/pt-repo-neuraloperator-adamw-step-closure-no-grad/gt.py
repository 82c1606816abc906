import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-repo-neuraloperator-adamw-step-closure-no-grad"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    return gt.closure_steps(lambda params: ns["AdamW"](params, lr=1e-2))


gt.main()
