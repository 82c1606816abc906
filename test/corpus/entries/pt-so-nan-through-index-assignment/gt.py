import os, sys, math
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-so-nan-through-index-assignment")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    g = ns["x"].grad.item()
    # the same z1 = x + y as a separate tensor (the answer's first example)
    x = torch.tensor(1., requires_grad=True)
    y = torch.tensor(0., requires_grad=True)
    (x + y).backward()
    return math.isnan(g), f"x.grad through z[1] = {g}; through a separate z1 = {x.grad.item()} (true d z1/dx = 1)"


gt.main()
