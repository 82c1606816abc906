import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-screen-time-rebind-parameter-draft"


@gt.case(CASE)
def _():
    rng = np.random.RandomState(0)
    screentime = rng.uniform(0, 10, 50).astype(np.float32)
    sleep = (11.0 - 0.75 * screentime + rng.normal(0, 0.5, 50)).astype(np.float32)
    ns = gt.exec_snippet(__file__, {"torch": torch, "screentime": screentime, "sleep": sleep})
    m, b, x, y = ns["m"], ns["b"], ns["x"], ns["y"]
    leaf = m.is_leaf

    def next_iteration():  # the draft's forward, backward and update once more, as inside the final loop
        yhat = m * x + b
        loss = torch.sqrt(torch.mean((yhat - y) ** 2))
        loss.backward()
        return m - 0.02 * m.grad

    err = gt.raises(next_iteration)
    return (not leaf) and err is not None, f"after the draft's update m.is_leaf={leaf}; next iteration: {err or 'no error'}"


gt.main()
