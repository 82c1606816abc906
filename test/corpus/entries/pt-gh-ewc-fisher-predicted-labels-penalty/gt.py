"""Ground truth for pt-gh-ewc-fisher-predicted-labels-penalty: the snippet's EWC on a small classifier and five
single-sample inputs. The diagonal Fisher, computed from the loss on the model's own argmax predictions, must be
non-zero; after the parameters move, the penalty (its means are p.data copies) must give them a non-zero
gradient, and the cross-entropy plus the penalty must too."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-ewc-fisher-predicted-labels-penalty"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    ewc = ns["EWC"](model, [torch.randn(4) for _ in range(5)])
    fisher = max(float(m.abs().max()) for m in ewc._precision_matrices.values())
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.1 * torch.randn_like(p))
    model.zero_grad()
    ewc.penalty(model).backward()
    g_pen = max(float(p.grad.abs().max()) for p in model.parameters())
    model.zero_grad()
    x, y = torch.randn(6, 4), torch.randint(0, 3, (6,))
    (F.cross_entropy(model(x), y) + 100.0 * ewc.penalty(model)).backward()
    g_all = max(float(p.grad.abs().max()) for p in model.parameters())
    ok = fisher > 0 and g_pen > 0 and g_all > 0
    return not ok, f"largest Fisher entry {gt.fmt(fisher)}; penalty gradient {gt.fmt(g_pen)}; loss gradient {gt.fmt(g_all)}"


gt.main()
