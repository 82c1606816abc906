import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-repo-advertorch-tutorial-perturb-outside-no-grad"


def perturb(model, x, y, eps=0.3, eps_iter=0.01, nb_iter=10):
    """advertorch's perturb_iterative for L-inf PGD (advertorch is not installed): the input copy requires grad and
    the summed cross-entropy is backpropagated."""
    delta = torch.zeros_like(x)
    for _ in range(nb_iter):
        delta.requires_grad_()
        loss = F.cross_entropy(model(x + delta), y, reduction="sum")
        loss.backward()
        delta = (delta + eps_iter * delta.grad.sign()).clamp(-eps, eps).detach()
    return (x + delta).clamp(0, 1)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 10))
    x, y = torch.rand(8, 1, 4, 4), torch.randint(0, 10, (8,))
    model.eval()
    # ctx_noparamgrad_and_eval: parameters frozen and eval mode; recording stays on.
    for p in model.parameters():
        p.requires_grad_(False)
    adv = perturb(model, x, y)
    for p in model.parameters():
        p.requires_grad_(True)
    with torch.no_grad():
        clean = F.cross_entropy(model(x), y).item()
        attacked = F.cross_entropy(model(adv), y).item()
    return not attacked > clean, f"loss on clean inputs {clean:.4f}, on the attacked ones {attacked:.4f}"


gt.main()
