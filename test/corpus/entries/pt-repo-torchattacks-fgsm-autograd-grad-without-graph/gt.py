import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torchattacks-fgsm-autograd-grad-without-graph"


class _Attack:
    """Stand-in for torchattacks.Attack: the attributes and the logits call forward() uses."""

    def __init__(self, model, eps):
        self.model, self.eps, self.device, self.targeted = model, eps, "cpu", False

    def get_logits(self, x):
        return self.model(x)


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"Attack": _Attack})
    model = gt.mlp(6, 3, dtype=torch.float32)
    images, labels = torch.rand(7, 6), torch.tensor([0, 1, 2, 0, 1, 2, 0])
    adv = ns["FGSM"](model, 0.05).forward(images, labels)
    x = images.clone().requires_grad_(True)
    g = torch.autograd.grad(torch.nn.functional.cross_entropy(model(x), labels), x)[0]
    want = torch.clamp(images + 0.05 * g.sign(), 0, 1)
    err = float((adv - want).abs().max())
    return err > 1e-6, f"FGSM output vs clamp(x + eps * sign(input gradient)): max abs diff {err:.1e}"


gt.main()
