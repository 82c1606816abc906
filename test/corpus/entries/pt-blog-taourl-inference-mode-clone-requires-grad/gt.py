import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-taourl-inference-mode-clone-requires-grad"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    model = ns["model"]
    grads = [p.grad for p in model.parameters()]
    missing = all(g is None for g in grads)
    return missing, f"backward ran; model parameter grads: {[None if g is None else g.shape for g in grads]}"


gt.main()
