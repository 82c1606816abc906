import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn.functional as F

CASE = "pt-gh-iresnet-exclude-bn0-inplace-relu-identity"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    block = ns["BasicBlock"](4, 4, exclude_bn0=True).double().eval()
    stem = torch.nn.Conv2d(3, 4, 3, padding=1).double()
    z = torch.randn(2, 3, 6, 6, dtype=torch.float64)
    x = stem(z)  # the block input is the previous layer's (pre-activation) output
    with torch.no_grad():
        x0 = x.clone()
        ref = block.conv2(F.relu(block.bn1(block.conv1(F.relu(x0))))) + x0  # identity = x, as in the paper
    out = block(x)
    out.sum().backward()
    err = gt.rel_err(out, ref)
    changed = float((x - x0).abs().max())
    return err > 1e-9, (f"block output vs conv path + pre-activation identity: relative error {err:.3g}; "
                        f"block input rewritten in place by up to {changed:.3g}")


gt.main()
