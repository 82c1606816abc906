import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-argmax-preds-loss-no-grad"


@gt.case(CASE)
def _():
    # The snippet runs as quoted; what it does not define: a 3-class model, data, an optimizer, and the
    # article's loss_fn (an L1 loss between the predicted and true labels; any torch loss of the hard
    # labels behaves the same, since its input has no grad_fn), and a simple accuracy.
    model = gt.mlp(4, 3, dtype=torch.float32)
    torch.manual_seed(1)
    names = {
        "torch": torch,
        "Epochs": 1,
        "model": model,
        "X_train": torch.randn(32, 4),
        "y_train": torch.randint(0, 3, (32,)).float(),
        "loss_fn": torch.nn.L1Loss(),
        "accuracy": lambda y, p: (y == p).float().mean().item(),
        "optimiser": torch.optim.SGD(model.parameters(), lr=0.1),
        "print": lambda *a, **k: None,
    }
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    no_grads = all(p.grad is None for p in model.parameters())
    return err is not None and "does not require grad" in err and no_grads, f"loss.backward() raised {err}; every parameter's .grad None: {no_grads}"


gt.main()
