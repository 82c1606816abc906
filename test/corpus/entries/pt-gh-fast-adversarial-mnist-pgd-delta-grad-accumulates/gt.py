import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-fast-adversarial-mnist-pgd-delta-grad-accumulates"
STEP = 4


def names(iters):
    torch.manual_seed(0)
    model = gt.mlp(6, 3, width=16)
    X = torch.rand(32, 6, dtype=torch.float64)
    with torch.no_grad():
        y = model(X).argmax(1)  # every sample starts correctly classified, so every row is updated
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    args = SimpleNamespace(epsilon=0.3, alpha=0.1, attack_iters=iters)
    torch.manual_seed(1)  # the snippet's uniform_ initialisation
    return {"torch": torch, "X": X, "y": y, "model": model, "criterion": torch.nn.CrossEntropyLoss(),
            "opt": opt, "args": args}


@gt.case(CASE)
def _():
    # The snippet's own text with STEP-1 steps gives the iterate before step STEP; with STEP steps, the
    # gradient the loop used at step STEP.
    one = gt.exec_snippet(__file__, names(STEP - 1))
    two = gt.exec_snippet(__file__, names(STEP))
    model, X, y = two["model"], two["X"], two["y"]
    d1 = one["delta"].clone().requires_grad_(True)
    fresh = torch.autograd.grad(torch.nn.functional.cross_entropy(model(X + d1), y), d1)[0]
    used = two["grad"]
    err = gt.rel_err(used, fresh)
    flipped = float((torch.sign(used) != torch.sign(fresh)).double().mean())
    return err > 1e-6, (f"step-{STEP} gradient used vs fresh gradient at that iterate: rel err {gt.fmt(err)}; "
                        f"sign differs on {flipped:.1%} of entries")


gt.main()
