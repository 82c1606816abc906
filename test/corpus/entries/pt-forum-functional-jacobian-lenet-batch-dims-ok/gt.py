import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-forum-functional-jacobian-lenet-batch-dims-ok"


@gt.case(CASE)
def _():
    # The quoted code uses `model` without defining it; it is an instance of the quoted LeNet5. The snippet is
    # run once with a stand-in so that its class is defined, then its own jacobian line is re-evaluated on a LeNet5.
    ns = gt.exec_snippet(__file__, {"torch": torch, "nn": nn, "F": F, "model": lambda x: x.flatten(1)[:, :10]})
    torch.manual_seed(0)
    model = ns["LeNet5"](10)
    inputs = ns["inputs"]
    J = torch.autograd.functional.jacobian(model, inputs, create_graph=False, strict=False, vectorize=True)
    B = inputs.shape[0]
    off = 0.0
    diag_err = 0.0
    for i in range(B):
        Ji = torch.autograd.functional.jacobian(lambda x: model(x.unsqueeze(0))[0], inputs[i])
        diag_err = max(diag_err, gt.rel_err(J[i, :, i], Ji))
        for j in range(B):
            if j != i:
                off = max(off, float(J[i, :, j].abs().max()))
    shape_ok = tuple(J.shape) == (12, 10, 12, 1, 32, 32)
    return (not shape_ok) or off > 0 or diag_err > 1e-4, (
        f"shape {tuple(J.shape)}, max cross-sample block {off:.3g}, per-sample blocks vs single-sample Jacobian rel err {diag_err:.3g}")


gt.main()
