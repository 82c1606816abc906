import os, sys, math
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn as nn


@gt.case("pt-blog-sqrt-mse-zero-nan-grad")
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "nn": nn})
    g = ns["x"].grad.item()
    return math.isnan(g), f"loss {ns['loss'].item()}; x.grad = {g}"


gt.main()
