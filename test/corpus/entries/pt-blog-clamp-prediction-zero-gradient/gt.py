import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-blog-clamp-prediction-zero-gradient"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"print": lambda *a, **k: None})
    fc = ns["fc"]
    gw, gb = float(fc.weight.grad.item()), float(fc.bias.grad.item())
    return gw == 0.0 and gb == 0.0, f"gradients through the clamped prediction: weight {gw}, bias {gb} (1.0 without the clamp)"


gt.main()
