import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-model-output-detached-before-loss-jp"


@gt.case(CASE)
def _():
    model = gt.mlp(4, 1)
    names = {
        "model": model,
        "input": torch.randn(8, 4, dtype=torch.float64),
        "target": torch.randn(8, 1, dtype=torch.float64),
        "loss_fn": torch.nn.MSELoss(),
    }
    ns = gt.exec_snippet(__file__, names)
    err = gt.raises(lambda: ns["loss"].backward())
    no_grad = all(p.grad is None for p in model.parameters())
    return err is not None or no_grad, f"loss.backward(): {err or 'no error'}; parameters without gradient: {no_grad}"


gt.main()
