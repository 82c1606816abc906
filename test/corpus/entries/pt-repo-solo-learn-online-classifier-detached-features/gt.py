import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


@gt.case("pt-repo-solo-learn-online-classifier-detached-features")
def _():
    # Lightning is not installed: the smallest faithful reproduction of the snippet's forward and shared step (the
    # backbone a small MLP with `num_features`), then the step's loss backpropagated as Lightning does.
    torch.manual_seed(0)
    backbone = nn.Sequential(nn.Linear(6, 5), nn.ReLU())
    classifier = nn.Linear(5, 3)
    x, targets = torch.randn(8, 6), torch.randint(0, 3, (8,))
    feats = backbone(x)
    logits = classifier(feats.detach())
    loss = nn.functional.cross_entropy(logits, targets, ignore_index=-1)
    loss.backward()
    probe = float(classifier.weight.grad.abs().sum())
    backbone_grad = backbone[0].weight.grad
    ok = probe > 0 and backbone_grad is None
    return not ok, f"|grad| of the classifier {gt.fmt(probe)}; backbone grad {'None' if backbone_grad is None else 'set'}"


gt.main()
