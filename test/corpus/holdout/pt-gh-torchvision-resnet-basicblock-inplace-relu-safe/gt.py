import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn.functional as F

CASE = "pt-gh-torchvision-resnet-basicblock-inplace-relu-safe"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    block = ns["BasicBlock"](4, 4).double()
    stem = torch.nn.Conv2d(3, 4, 3, padding=1).double()
    z = torch.randn(2, 3, 6, 6, dtype=torch.float64, requires_grad=True)
    # Reference: the same block with every ReLU out of place.
    def ref_block(x):
        out = F.relu(block.bn1(block.conv1(x)))
        out = block.bn2(block.conv2(out))
        return F.relu(out + x)
    ref = ref_block(stem(z))
    (g_ref,) = torch.autograd.grad(ref.sum(), z)
    x = stem(z)
    x0 = x.detach().clone()
    err_msg = None
    try:
        out = block(x)
        (g,) = torch.autograd.grad(out.sum(), z)
    except RuntimeError as exc:
        err_msg = str(exc).splitlines()[0]
    if err_msg is not None:
        return True, f"backward failed: {err_msg}"
    e_out, e_grad = gt.rel_err(out, ref), gt.rel_err(g, g_ref)
    untouched = float((x - x0).abs().max())
    return max(e_out, e_grad) > 1e-9 or untouched > 0, (
        f"in-place ReLUs vs out-of-place reference: output rel. error {e_out:.3g}, input-gradient rel. error {e_grad:.3g}; "
        f"block input changed by {untouched:.3g}")


gt.main()
