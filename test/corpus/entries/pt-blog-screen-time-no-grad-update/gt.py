import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-screen-time-no-grad-update"


@gt.case(CASE)
def _():
    rng = np.random.RandomState(0)
    screentime = rng.uniform(0, 10, 50).astype(np.float32)
    sleep = (11.0 - 0.75 * screentime + rng.normal(0, 0.5, 50)).astype(np.float32)
    ns = gt.exec_snippet(__file__, {"torch": torch, "screentime": screentime, "sleep": sleep,
                                    "print": lambda *a, **k: None})
    m, b = float(ns["m"].item()), float(ns["b"].item())
    slope, icpt = np.polyfit(screentime.astype(np.float64), sleep.astype(np.float64), 1)
    err = max(abs(m - slope), abs(b - icpt))
    return not (err < 0.05 and ns["m"].is_leaf), f"fitted (m, b) = ({m:.4g}, {b:.4g}); least squares ({slope:.4g}, {icpt:.4g})"


gt.main()
