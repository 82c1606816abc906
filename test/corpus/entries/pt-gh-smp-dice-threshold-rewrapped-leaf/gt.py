"""Ground truth for pt-gh-smp-dice-threshold-rewrapped-leaf: the snippet's f_score with a threshold, as the pull
request's DiceLoss computes it (1 - f_score of the sigmoid of a network's output), on a small convolution;
_take_channels is the repository's (no ignored channels). The backward must run, and the network's
parameters must get no gradient."""
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-smp-dice-threshold-rewrapped-leaf"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"_take_channels": lambda *xs, ignore_channels=None: xs})
    net = torch.nn.Conv2d(3, 1, 1)
    x = torch.randn(2, 3, 8, 8)
    y = (torch.rand(2, 1, 8, 8) > 0.5).float()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.tensor(tensor) warns that it copies
        loss = 1 - ns["f_score"](torch.sigmoid(net(x)), y, beta=1.0, eps=1.0, threshold=0.5)
    err = gt.raises(loss.backward)
    if err is not None:
        return False, f"backward raised {err}"
    grads = [p.grad for p in net.parameters()]
    return all(g is None for g in grads), f"backward runs; the network's parameter gradients: {grads}"


gt.main()
