import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-er-net-resencoder-add-into-relu-output"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    enc = ns["ResEncoder"](2, 4)
    x = torch.randn(2, 2, 4, 4, 4, requires_grad=True)
    out = enc(x)
    err = gt.raises(lambda: out.mean().backward())
    return err is not None and "inplace" in err, f"backward through ResEncoder: {err}"


gt.main()
