import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-learning-torch-view-input-autograd-grad"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"torch": torch, "print": lambda *a, **k: None})
    model, x, t = ns["model"], ns["x"], ns["t"]
    a, b = model.layer01.weight[0, 0], model.layer01.weight[0, 1]
    c = model.layer01.bias[0]
    s = torch.sigmoid(a * x + b * t + c)
    analytic = (s * (1 - s) * a).detach()
    err = gt.rel_err(ns["u_x"], analytic)
    return err > 1e-5, f"u_x vs analytic sigma'(ax+bt+c)*a: rel err {gt.fmt(err)}"


gt.main()
