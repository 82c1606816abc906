import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn.functional as F

CASE = "pt-git-vqvae2-resblock-inplace-relu-skip"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    enc = ns["Encoder"](3, 8, 2, 4, stride=2).double()
    x = torch.randn(2, 3, 8, 8, dtype=torch.float64, requires_grad=True)
    # Reference: the residual block as intended, out = conv(relu(h)) + h with the pre-activation h on the skip.
    with torch.no_grad():
        h = enc.blocks[2](F.relu(enc.blocks[0](x)))
        for b in enc.blocks[3:5]:
            h = b.conv[3](F.relu(b.conv[1](F.relu(h)))) + h
        ref = F.relu(h)
    out = enc(x)
    out.sum().backward()  # the graph is usable either way; the question is what the skip connection carries
    err = gt.rel_err(out, ref)
    return err > 1e-9, f"encoder output vs conv(relu(h)) + h reference: relative error {err:.3g}; input grad norm {float(x.grad.norm()):.3g}"


gt.main()
