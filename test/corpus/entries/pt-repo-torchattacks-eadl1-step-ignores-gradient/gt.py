import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-repo-torchattacks-eadl1-step-ignores-gradient"


@gt.case(CASE)
def _():
    # The quoted forward() cannot run alone (the elided lines build y_one_hot, const and the bounds, and
    # fast_ISTA/EAD_loss are other methods of the class), so its gradient step is reproduced line for line:
    # y_k = nn.Parameter(images); cost.backward(retain_graph=True); with torch.no_grad(): y_k -= lr.
    # The loss is the C&W-style margin on a small classifier plus the L2 distance, as in EAD_loss.
    torch.manual_seed(0)
    model = gt.mlp(8, 4)
    images = torch.rand(5, 8, dtype=torch.float64)
    labels = torch.tensor([0, 1, 2, 3, 0])
    y_one_hot = torch.eye(4, dtype=torch.float64)[labels]
    const, lr = 1e-3 * torch.ones(5, dtype=torch.float64), 0.01
    y_k = nn.Parameter(images)
    before = y_k.detach().clone()
    output = model(y_k)
    real = (output * y_one_hot).sum(1)
    other = ((1 - y_one_hot) * output - y_one_hot * 1e4).max(1)[0]
    l2 = ((y_k - images) ** 2).flatten(1).sum(1)
    cost = (const * torch.clamp(real - other, min=0)).sum() + l2.sum()
    cost.backward(retain_graph=True)
    with torch.no_grad():
        y_k -= lr
    step = (y_k.detach() - before)
    grad_norm = float(y_k.grad.norm())
    uniform = float((step + lr).abs().max())
    return uniform < 1e-12 and grad_norm > 0, (f"the 'gradient step' moved every pixel by exactly -lr "
                                               f"(max deviation {uniform:.1e}) while |grad| = {grad_norm:.3g}")


gt.main()
