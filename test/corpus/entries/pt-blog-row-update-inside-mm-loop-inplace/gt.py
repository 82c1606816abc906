import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd import Variable  # noqa: E402

CASE = "pt-blog-row-update-inside-mm-loop-inplace"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "Variable": Variable})
    torch.manual_seed(0)
    module = types.SimpleNamespace(param=torch.nn.Parameter(torch.randn(10, 10)))
    a = torch.randn(10, 1)

    def run():
        y = ns["forward"](module, a)
        y.sum().backward()

    err = gt.raises(run)
    return err is not None, f"backward through the loop: {err or 'no error'}"


gt.main()
