"""Ground truth for pt-gh-pytorch-outputs-numpy-list-rewrapped-leaf: the snippet's loop runs on one batch of a small
network (tqdm and the loader stand in as the identity and a list); a loss on the re-wrapped outputs is then
backpropagated, as the issue's loop goes on to do, and the model's parameter gradients are read."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-outputs-numpy-list-rewrapped-leaf"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = gt.mlp(4, 2, dtype=torch.float32)
    x = torch.randn(8, 4)
    y = torch.rand(8)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    ns = gt.exec_snippet(__file__, {"torch": torch, "tqdm": lambda it: it, "train_data_loader": [(x, y)], "device": "cpu", "model": model, "optimizer": optimizer})
    loss = torch.nn.functional.mse_loss(ns["outputs"], ns["labels"])
    err = gt.raises(loss.backward)
    grads = [p.grad for p in model.parameters()]
    return err is None and all(g is None for g in grads), f"backward raised {err}; model parameter gradients {grads}"


gt.main()
