import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-breast-cancer-predictions-rewrapped-leaf")
def _():
    # Reproduction (pandas is not assumed installed here): a small model gives per-view probabilities,
    # detached to NumPy (as the asker says the averaging needs), averaged over views, then
    # re-wrapped as the quoted lines do and trained with a BCE loss.
    model = gt.mlp(4, 2, dtype=torch.float32)
    torch.manual_seed(1)
    output = torch.softmax(model(torch.randn(4, 4)), dim=1)           # 4 views
    per_view = output.detach().cpu().numpy()[:, 1]                     # detached predictions
    predictions = per_view.reshape(2, 2).mean(axis=1).reshape(1, 2)   # the pandas group-by mean
    labels = np.array([[1.0, 0.0]], dtype=np.float32)
    target = torch.tensor(labels, dtype=torch.float, requires_grad=True)
    predictions = torch.tensor(predictions, requires_grad=True)
    l = torch.nn.functional.binary_cross_entropy(predictions, target)
    err = gt.raises(lambda: l.backward())
    no_grads = all(p.grad is None for p in model.parameters())
    return err is None and no_grads, f"l.backward() raised {err}; every model parameter's .grad None: {no_grads}; the fresh leaf got a gradient: {predictions.grad is not None}"


gt.main()
