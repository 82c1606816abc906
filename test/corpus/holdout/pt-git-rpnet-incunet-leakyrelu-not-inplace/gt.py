import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-git-rpnet-incunet-leakyrelu-not-inplace"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    # One ECG-like record of length 5000 (the length the U-Net's strides and skip concatenations fit).
    net = ns["IncUNet"]((1, 1, 5000))
    x = torch.randn(1, 1, 5000)
    target = torch.randn(1, 1, 5000)
    out = net(x)
    loss = torch.nn.functional.mse_loss(out, target)
    err = gt.raises(lambda: loss.backward())
    if err is not None:
        return True, f"loss.backward() on IncUNet: {err}"
    g = gt.norm_of([p.grad for p in net.parameters() if p.grad is not None])
    return False, f"loss {float(loss):.4g}; backward ran, parameter gradient norm {g:.3g}"


gt.main()
