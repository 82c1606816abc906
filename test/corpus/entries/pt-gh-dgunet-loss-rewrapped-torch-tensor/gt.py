import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-dgunet-loss-rewrapped-torch-tensor"


def charbonnier(x, y, eps=1e-3):  # the repository's CharbonnierLoss
    return torch.mean(torch.sqrt((x - y) ** 2 + eps * eps))


@gt.case(CASE)
def _():
    stages = torch.nn.ModuleList([torch.nn.Conv2d(1, 1, 3, padding=1) for _ in range(3)])
    x, target = torch.rand(2, 1, 8, 8), torch.rand(2, 1, 8, 8)
    restored = [stage(x) for stage in stages]  # multi-stage outputs, as the model returns them
    ns = gt.exec_snippet(__file__, {"torch": torch, "criterion_char": charbonnier, "criterion_edge": charbonnier,
                                    "restored": restored, "target": target})
    ns["loss"].backward()
    no_grads = all(p.grad is None for p in stages.parameters())
    return no_grads, f"loss {gt.fmt(float(ns['loss']))} backpropagated; every network parameter .grad None: {no_grads}"


gt.main()
