import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pinn-torch-requires-grad-on-computed-boundary"


@gt.case(CASE)
def _():
    t_b = torch.linspace(0, 1, 10, dtype=torch.float64, requires_grad=True)
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"numpy": numpy, "torch": torch, "t_b": t_b}))
    return err is not None, f"quoted lines: {err or 'no error'}"


gt.main()
