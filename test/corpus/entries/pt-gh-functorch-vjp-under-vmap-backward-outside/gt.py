import os
import sys
from functools import partial

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from functorch import vjp, vmap  # noqa: E402

CASE = "pt-gh-functorch-vjp-under-vmap-backward-outside"


class _Checker:
    def __init__(self):
        self.max_diff = None

    def assertEqual(self, a, b):
        self.max_diff = (a - b).abs().max().item()


@gt.case(CASE)
def _():
    # The snippet's own test method, run with functorch's vjp and vmap on PyTorch 1.13; the assertion is measured.
    ns = gt.exec_snippet(__file__, {"torch": torch, "vjp": vjp, "vmap": vmap, "partial": partial})
    chk = _Checker()
    err = gt.raises(lambda: ns["test_log_softmax"](chk, "cpu"))
    if err is not None:
        return True, f"the test raised: {err}"
    return chk.max_diff > 1e-6, f"max |vmap(vjp) - x.grad| = {chk.max_diff:.2e}"


gt.main()
