import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-repo-torchattacks-pgd-detach-each-step"


class Attack:
    """Stand-in for torchattacks' Attack base of that version: keeps the model and its device."""

    def __init__(self, name, model):
        self.attack = name
        self.model = model
        self.device = torch.device("cpu")


def reference_pgd(model, images, labels, eps, alpha, iters):
    ori = images.clone()
    x = images.clone()
    for _ in range(iters):
        leaf = x.clone().requires_grad_(True)
        g, = torch.autograd.grad(nn.functional.cross_entropy(model(leaf), labels), leaf)
        x = torch.clamp(ori + torch.clamp(leaf.detach() + alpha * g.sign() - ori, -eps, eps), 0, 1)
    return x


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "nn": nn, "Attack": Attack})
    model = gt.mlp(6, 3)
    images, labels = torch.rand(10, 6, dtype=torch.float64), torch.randint(0, 3, (10,))
    attack = ns["PGD"](model, eps=0.1, alpha=0.02, iters=8)
    adv = attack.forward(images.clone(), labels)
    ref = reference_pgd(model, images, labels, 0.1, 0.02, 8)
    diff = float((adv - ref).abs().max())
    moved = float((adv - images).abs().max())
    return not (diff < 1e-12 and moved > 0), f"max |PGD - reference PGD| = {gt.fmt(diff)}; max perturbation {gt.fmt(moved)}"


gt.main()
