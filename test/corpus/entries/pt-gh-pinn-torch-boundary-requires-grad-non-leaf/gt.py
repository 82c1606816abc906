import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pinn-torch-boundary-requires-grad-non-leaf"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"numpy": numpy, "torch": torch})
    t_b = torch.linspace(0, 1, 8, requires_grad=True)  # time points used for u_t
    err = gt.raises(lambda: ns["mse_b"](gt.mlp(2, 2), t_b))
    return err is not None and "leaf" in err, f"mse_b raised {err}"


gt.main()
