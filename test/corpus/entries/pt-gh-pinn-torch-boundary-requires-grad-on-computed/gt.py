"""Ground truth for pt-gh-pinn-torch-boundary-requires-grad-on-computed: runs the snippet with a stand-in for
the repository's NLS.mat time column (201 points, float64 as loadmat gives) and N_b = 50, then calls mse_b."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pinn-torch-boundary-requires-grad-on-computed"


@gt.case(CASE)
def _():
    data = {"tt": np.linspace(0, np.pi / 2, 201).reshape(1, -1)}
    ns = gt.exec_snippet(__file__, {"data": data, "N_b": 50})
    model = gt.mlp(2, 2, dtype=torch.float32)
    err = gt.raises(lambda: ns["mse_b"](model, ns["t_b"]))
    return err is not None and "leaf" in err, f"mse_b raised {err!r}"


gt.main()
