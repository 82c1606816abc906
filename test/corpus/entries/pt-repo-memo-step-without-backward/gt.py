import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-repo-memo-step-without-backward"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 4), torch.nn.LogSoftmax(dim=1))
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    data, target = torch.randn(32, 8), torch.randint(0, 4, (32,))
    before = [p.detach().clone() for p in model.parameters()]
    names = {"data": data, "target": target, "device": "cpu", "model": model, "optimizer": opt, "F": F}
    losses = [float(gt.exec_snippet(__file__, dict(names))["loss"]) for _ in range(3)]
    moved = max(float((p - b).abs().max()) for p, b in zip(model.parameters(), before))
    return moved == 0.0, f"three iterations: losses {[round(v, 5) for v in losses]}, max weight change {moved:.3g}"


gt.main()
