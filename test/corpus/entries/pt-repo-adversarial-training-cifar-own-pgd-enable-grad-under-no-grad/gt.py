"""Ground truth for pt-repo-adversarial-training-cifar-own-pgd-enable-grad-under-no-grad: the snippet's attack class
and test loop run on a small classifier and a two-batch loader (the repository's ResNet18 and CIFAR-10 replaced):
perturb runs under the loop's no_grad, because it enables grad around its forward pass, and it moves the inputs."""
import copy
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-repo-adversarial-training-cifar-own-pgd-enable-grad-under-no-grad"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    net = gt.mlp(6, 3, dtype=torch.float32)
    loader = [(torch.rand(8, 6), torch.randint(0, 3, (8,))) for _ in range(2)]
    names = {"torch": torch, "F": F, "copy": copy, "epsilon": 0.0314, "k": 7, "alpha": 0.00784, "net": net,
             "device": "cpu", "test_loader": loader, "criterion": nn.CrossEntropyLoss()}
    ns = gt.exec_snippet(__file__, names)
    acc = []
    err = gt.raises(lambda: acc.append(ns["test"](0)))
    x, y = loader[0]
    with torch.no_grad():
        moved = float((ns["attack"](x, y, net, ns["adversary"]) - x).abs().max())
    ok = err is None and moved > 0
    return not ok, f"test under no_grad: {err or 'runs'} (adversarial accuracy {acc[0] if acc else None}); the helper's attack under no_grad moves inputs by {gt.fmt(moved)}"


gt.main()
