import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-inplace-detach-constant-weight-same-gradient"


@gt.case(CASE)
def _():
    printed = []
    ns = gt.exec_snippet(__file__, {"print": lambda *a: printed.append(a)})
    probs = ns["probs"]
    # The analytic gradient of sum(log p) is 1/p; the detached weight pt (all ones) must not change it.
    analytic = 1.0 / probs.detach()
    e1 = gt.rel_err(ns["grad1"], analytic)
    e2 = gt.rel_err(ns["grad2"], analytic)
    diff = float((ns["grad1"] - ns["grad2"]).abs().sum())
    return max(e1, e2) > 1e-6 or diff > 1e-6, (f"grad with pt vs without: total abs difference {gt.fmt(diff)}; "
                                              f"vs analytic 1/p: rel. errors {gt.fmt(e1)}, {gt.fmt(e2)}; "
                                              f"pt.requires_grad after detach_(): {ns['pt'].requires_grad}")


gt.main()
