import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-torch-tensor-of-graph-scalars"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"print": lambda *a, **k: None}))
    a = torch.tensor(0.3, requires_grad=True)
    torch.stack([torch.cos(a), torch.cos(a)]).sum().backward()
    return err is not None, f"quoted code: {err or 'no error'}; with torch.stack the gradient is {a.grad.item():.4g}"


gt.main()
