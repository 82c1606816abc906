import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-running-loss-preds-max-ok"


@gt.case(CASE)
def _():
    # The snippet's function runs as quoted on a small 3-class problem (the page's data loaders and
    # device stand in as a list of batches and the CPU).
    model = gt.mlp(4, 3, dtype=torch.float32)
    torch.manual_seed(1)
    x = torch.randn(64, 4)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0.5).long()
    batches = [(x[i:i + 16], y[i:i + 16]) for i in range(0, 64, 16)]
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    ns = gt.exec_snippet(__file__, {"torch": torch, "dataloaders": batches, "device": "cpu", "print": lambda *a, **k: None})
    before = criterion(model(x), y).item()
    ns["train_model"](model, criterion, optimizer, None, num_epochs=20)
    after = criterion(model(x), y).item()
    all_grads = all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())
    return not (all_grads and after < before), f"every parameter got a gradient: {all_grads}; loss {before:.4g} -> {after:.4g}"


gt.main()
