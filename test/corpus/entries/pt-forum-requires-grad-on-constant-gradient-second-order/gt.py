import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-requires-grad-on-constant-gradient-second-order"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None}))
    # The symptom is autograd's refusal at the second grad call, not the later typo (grads_2).
    return err is not None and err.startswith("RuntimeError"), f"quoted code: {err or 'no error'}"


gt.main()
