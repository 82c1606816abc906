import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-captum-wide-deep-long-cast-grad-none"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "nn": nn})
    net = ns["Net"]()
    x_wide = torch.randint(0, 1000, (3, 8)).float().requires_grad_(True)
    x_deep = torch.randint(0, 1000, (3, 4)).float().requires_grad_(True)
    x_dense = torch.rand(3, 4, requires_grad=True)
    out = net(x_wide, x_deep, x_dense)["logits"][:, 1].sum()
    g = torch.autograd.grad(out, (x_wide, x_deep, x_dense), allow_unused=True)  # what an attribution method asks for
    none = [name for name, gi in zip(("x_wide", "x_deep", "x_dense"), g) if gi is None]
    return none == ["x_wide", "x_deep"], f"inputs with no gradient: {none}"


gt.main()
