import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-blog-pgd-attack-inplace-step-under-no-grad"


def reference(model, images, labels, epsilon=8 / 255, alpha=2 / 255, num_iter=7):
    x = images.clone()
    for _ in range(num_iter):
        x = x.detach().requires_grad_(True)
        g, = torch.autograd.grad(F.cross_entropy(model(x), labels), x)
        x = x.detach() + alpha * g.sign()
        x = torch.clamp(images + torch.clamp(x - images, -epsilon, epsilon), 0, 1)
    return x.detach()


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3))
    images = torch.rand(5, 3, 2, 2)
    labels = torch.tensor([0, 1, 2, 0, 1])
    ns = gt.exec_snippet(__file__, {"torch": torch, "F": F})
    adv = ns["pgd_attack"](model, images, labels)
    ref = reference(model, images, labels)
    diff = float((adv - ref).abs().max())
    moved = float((adv - images).abs().max())
    return not (diff < 1e-6 and moved > 0), f"max |quoted - reference| = {diff:.2e}; max perturbation {moved:.4g}"


gt.main()
