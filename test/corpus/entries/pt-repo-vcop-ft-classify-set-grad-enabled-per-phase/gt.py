import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-vcop-ft-classify-set-grad-enabled-per-phase"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.set_grad_enabled(True)
    model = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3)).double()
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    data = [(torch.rand(8, 6, dtype=torch.float64), torch.randint(0, 3, (8,))) for _ in range(4)]
    args = types.SimpleNamespace(pf=100, bs=8)
    val_losses = []
    for epoch in range(1, 4):
        err = gt.raises(lambda: ns["train"](args, model, criterion, optimizer, "cpu", data, None, epoch))
        if err is not None:
            torch.set_grad_enabled(True)
            return True, f"epoch {epoch} training raised {err}"
        val_losses.append(ns["validate"](args, model, criterion, "cpu", data, None, epoch))
    torch.set_grad_enabled(True)
    return not val_losses[-1] < val_losses[0], f"validation loss {val_losses[0]:.4f} -> {val_losses[-1]:.4f}"


gt.main()
