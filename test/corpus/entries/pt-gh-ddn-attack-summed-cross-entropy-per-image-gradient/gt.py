"""Ground truth for pt-gh-ddn-attack-summed-cross-entropy-per-image-gradient: the snippet's first iteration (its
lines up to loss.backward(), which attack() does not return) on a small convolutional classifier without BatchNorm:
delta.grad of the summed cross-entropy is compared with each image's own cross-entropy gradient."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import torch.optim as optim  # noqa: E402


@gt.case("pt-gh-ddn-attack-summed-cross-entropy-per-image-gradient")
def _():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 10)).double()
    inputs = torch.rand(5, 1, 6, 6, dtype=torch.float64)
    labels = torch.randint(0, 10, (5,))
    ns = gt.exec_snippet(__file__)
    attack = ns["DDN"]()
    attack.steps = 2
    attack.attack(model, inputs, labels)  # the quoted method runs
    # Its first iteration, line by line (multiplier -1 for an untargeted attack):
    delta = torch.zeros_like(inputs, requires_grad=True)
    optimizer = optim.SGD([delta], lr=1)
    logits = model(inputs + delta)
    loss = -1 * F.cross_entropy(logits, labels, reduction='sum')
    optimizer.zero_grad()
    loss.backward()
    own = []
    for k in range(5):
        d = torch.zeros_like(inputs[k:k + 1], requires_grad=True)
        lk = -1 * F.cross_entropy(model(inputs[k:k + 1] + d), labels[k:k + 1], reduction='sum')
        own.append(torch.autograd.grad(lk, d)[0][0])
    err = gt.rel_err(delta.grad, torch.stack(own))
    return err > 1e-10, f"delta.grad of the summed loss vs per-image gradients: relative error {gt.fmt(err)}"


gt.main()
