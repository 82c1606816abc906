import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn.functional as F

CASE = "pt-gh-pytorch-residual-block-add-into-inplace-relu"


@gt.case(CASE)
def _():
    # The issue quotes the class without its imports; nn and F are supplied here.
    ns = gt.exec_snippet(__file__, {"nn": torch.nn, "F": F})
    torch.manual_seed(0)
    block = ns["ResidualBlock"](4, 4)
    x = torch.randn(2, 4, 6, 6, requires_grad=True)
    out = block(x)
    err = gt.raises(lambda: out.sum().backward())
    return err is not None and "inplace" in err, f"backward through ResidualBlock: {err}"


gt.main()
