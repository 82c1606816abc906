import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-ewc-fisher-accumulator-add-discarded"


@gt.case(CASE)
def _():
    # The quoted Net (784-400-400-10) and its estimate_fisher run unchanged on random MNIST-sized batches.
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    net = ns["Net"](SimpleNamespace(dropout=False))
    batch = 8
    data = [(torch.rand(batch, 1, 28, 28), torch.randint(0, 10, (batch,))) for _ in range(4)]
    fisher = net.estimate_fisher(data, sample_size=4 * batch, batch_size=batch)
    total = float(sum(np.abs(f).sum() for f in fisher.values()))
    # What the loop computes and throws away: squared gradients of the log-likelihood, which are not zero.
    ll = torch.nn.functional.log_softmax(net(data[0][0].view(batch, -1)), dim=1)[range(batch), data[0][1]].mean()
    g2 = sum(float((g ** 2).sum()) for g in torch.autograd.grad(ll, list(net.parameters())))
    return total == 0.0 and g2 > 0.0, f"sum |Fisher| returned {total:.3g}; sum of squared log-likelihood gradients of one batch {g2:.3g}"


gt.main()
