import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pytorch-grad-cam-register-hook-guarded"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2)).double()
    extractor = ns["ActivationsAndGradients"](model, [model[1]], None)
    x = torch.rand(3, 4, dtype=torch.float64)
    with torch.no_grad():
        err = gt.raises(lambda: extractor(x))
    no_grad_hooks = len(extractor.gradients)
    out = extractor(x)
    out[:, 0].sum().backward()
    got = extractor.gradients[0] if extractor.gradients else None
    ok = err is None and got is not None and tuple(got.shape) == (3, 8)
    return not ok, f"under no_grad: raised {err}, gradients kept {no_grad_hooks}; with recording on: gradient shape {None if got is None else tuple(got.shape)}"


gt.main()
