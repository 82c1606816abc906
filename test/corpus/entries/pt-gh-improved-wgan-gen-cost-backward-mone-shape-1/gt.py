"""Ground truth for pt-gh-improved-wgan-gen-cost-backward-mone-shape-1: the snippet's generator step (small stand-in
generator and critic, one iteration) raises the shape mismatch; the same text with a 0-dimensional `one` runs."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def names():
    class GoodGenerator(nn.Module):
        def __init__(self, dim, output_dim):
            super().__init__()
            self.fc = nn.Linear(128, 12)

        def forward(self, z):
            return torch.tanh(self.fc(z))

    class GoodDiscriminator(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.fc = nn.Sequential(nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 1))

        def forward(self, x):
            return self.fc(x)

    return {"GoodGenerator": GoodGenerator, "GoodDiscriminator": GoodDiscriminator, "START_ITER": 200000 - 1}


def run(text):
    ns = {"__name__": "snippet"}
    ns.update(names())
    exec(compile(text, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject


@gt.case("pt-gh-improved-wgan-gen-cost-backward-mone-shape-1")
def _():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert "one = torch.FloatTensor([1])" in text
    bug = gt.raises(lambda: run(text))
    control = gt.raises(lambda: run(text.replace("one = torch.FloatTensor([1])", "one = torch.tensor(1.0)")))
    return bug is not None and "Mismatch in shape" in str(bug) and control is None, f"snippet raises {bug}; with a 0-dim one raises {control}"


gt.main()
