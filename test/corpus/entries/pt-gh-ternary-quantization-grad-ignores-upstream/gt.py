import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-ternary-quantization-grad-ignores-upstream"


@gt.case(CASE)
def _():
    # As main_ternary.py uses it: the gradient of the quantized weight (weight.grad after loss.backward())
    # is mapped to a gradient of the full-precision copy. A gradient is linear in the upstream gradient:
    # doubling the loss must double it.
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    full = torch.randn(16, 8)
    model = torch.nn.Linear(8, 16, bias=False)
    model.weight.data = ns["quantize"](full, 1.0, 1.0)
    x = torch.randn(4, 8)
    loss = model(x).pow(2).sum()
    g1 = torch.autograd.grad(loss, model.weight)[0]
    g2 = torch.autograd.grad(2 * model(x).pow(2).sum(), model.weight)[0]
    fp1, _, _ = ns["get_quantization_grads"](g1, full, 1.0, 1.0)
    fp2, _, _ = ns["get_quantization_grads"](g2, full, 1.0, 1.0)
    r = float((fp2.norm() / fp1.norm()))
    return abs(r - 2.0) > 1e-3, f"|grad_fp| with the loss doubled / with the loss: {gt.fmt(r)} (a gradient scales by 2)"


gt.main()
