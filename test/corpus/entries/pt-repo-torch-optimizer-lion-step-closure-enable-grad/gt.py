import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-repo-torch-optimizer-lion-step-closure-enable-grad"


@gt.case(CASE)
def _():
    # The type aliases come from torch_optimizer/types.py (left out of the snippet).
    ns = gt.exec_snippet(__file__, {"Params": object, "Betas2": object, "OptFloat": object, "OptLossClosure": object})
    return gt.closure_steps(lambda params: ns["Lion"](params, lr=1e-3))


gt.main()
