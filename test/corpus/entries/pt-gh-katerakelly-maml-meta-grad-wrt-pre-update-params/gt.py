"""Ground truth for pt-gh-katerakelly-maml-meta-grad-wrt-pre-update-params: the snippet's InnerLoop with a small
stand-in for OmniglotNet (two linear layers and a tanh, a functional forward over a weights dict as the repository's
forward over its layers), get_data_loader giving fixed batches, evaluate returning placeholders, and Tensor.cuda the
identity (CPU only). Every meta-gradient entry checked equals a central finite difference of the meta loss (inner
updates, then the validation loss) with respect to that pre-update parameter."""
import contextlib
import io
import os
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class OmniglotNet(nn.Module):
    def __init__(self, num_classes, loss_fn, num_in_channels=3):
        super().__init__()
        self.features = nn.Linear(num_in_channels, 6)
        self.fc = nn.Linear(6, num_classes)
        self.loss_fn = loss_fn

    def forward(self, x, weights=None):
        if weights is None:
            return self.fc(torch.tanh(self.features(x)))
        h = torch.tanh(F.linear(x, weights["features.weight"], weights["features.bias"]))
        return F.linear(h, weights["fc.weight"], weights["fc.bias"])


class Loader:
    def __init__(self, batch):
        self.batch = batch

    def __iter__(self):
        return iter([self.batch])


def load_snippet(batches):
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        text = fh.read()
    for line in ("from omniglot_net import OmniglotNet\n", "from layers import *\n", "from score import *\n", "from data_loading import *\n"):
        text = text.replace(line, "")
    ns = {"__name__": "snippet", "OmniglotNet": OmniglotNet,
          "get_data_loader": lambda task, bs, split="train": Loader(batches[split]),
          "evaluate": lambda net, loader, weights=None: (0.0, 0.0)}
    exec(compile(text, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    return ns


@gt.case("pt-gh-katerakelly-maml-meta-grad-wrt-pre-update-params")
def _():
    torch.Tensor.cuda = lambda self, *a, **k: self
    torch.set_default_dtype(torch.float64)
    try:
        batches = {"train": (torch.randn(6, 3), torch.randint(0, 2, (6,))), "val": (torch.randn(6, 3), torch.randint(0, 2, (6,)))}
        ns = load_snippet(batches)
        net = ns["InnerLoop"](2, F.cross_entropy, num_updates=2, step_size=0.4, batch_size=6, meta_batch_size=1)
        with contextlib.redirect_stdout(io.StringIO()):
            _, meta_grads = net(task=None)

        def meta_loss():
            with contextlib.redirect_stdout(io.StringIO()), torch.enable_grad():
                fast = OrderedDict(net.named_parameters())
                for i in range(2):
                    x, y = batches["train"]
                    loss = F.cross_entropy(net.net_forward(x, None if i == 0 else fast), y)
                    g = torch.autograd.grad(loss, list(fast.values()), create_graph=True)
                    fast = OrderedDict((n, p - 0.4 * gi) for (n, p), gi in zip(fast.items(), g))
                x, y = batches["val"]
                return float(F.cross_entropy(net.net_forward(x, fast), y))

        worst = 0.0
        h = 1e-6
        for name, p in net.named_parameters():
            for idx in [(0, 0), (1, 2)] if p.dim() == 2 else [(0,), (1,)]:
                with torch.no_grad():
                    p[idx] += h
                up = meta_loss()
                with torch.no_grad():
                    p[idx] -= 2 * h
                down = meta_loss()
                with torch.no_grad():
                    p[idx] += h
                fd = (up - down) / (2 * h)
                worst = max(worst, abs(float(meta_grads[name][idx]) - fd) / max(1e-8, abs(fd)))
    finally:
        torch.set_default_dtype(torch.float32)
    return worst > 1e-4, f"worst relative difference of meta-gradient entries from finite differences {gt.fmt(worst)}"


gt.main()
