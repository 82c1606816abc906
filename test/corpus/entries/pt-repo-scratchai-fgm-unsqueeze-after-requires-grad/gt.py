import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-repo-scratchai-fgm-unsqueeze-after-requires-grad"


def optimize_linear(grads, eps, ordr):
    """scratchai.attacks.utils.optimize_linear for ordr = inf: eps * sign(grads)."""
    red_ind = list(range(1, len(grads.size())))  # noqa: F841 - same first use of grads as the library
    return eps * torch.sign(grads)


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"np": np, "torch": torch, "nn": nn, "optimize_linear": optimize_linear})
    net = nn.Sequential(nn.Flatten(), gt.mlp(12, 4, dtype=torch.float32))
    image = torch.rand(3, 2, 2)  # one image, C x H x W
    err = gt.raises(lambda: ns["fgm"](image, net, eps=0.1))
    batch_ok = gt.raises(lambda: ns["fgm"](image.unsqueeze(0), net, eps=0.1))  # a 4-D batch keeps x a leaf
    return err is not None and batch_ok is None, f"fgm on a 3-D image raised {err}; on a 4-D batch: {batch_ok}"


gt.main()
