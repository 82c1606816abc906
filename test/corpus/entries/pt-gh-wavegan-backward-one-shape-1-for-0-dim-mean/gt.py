"""Ground truth for pt-gh-wavegan-backward-one-shape-1-for-0-dim-mean: the snippet's critic step (small stand-in
generator and critic, one batch) raises the shape mismatch; the thread's fix (fixed.py) runs."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch.autograd import Variable  # noqa: E402


def names():
    latent = 4

    class Generator(nn.Module):
        def __init__(self, **kwargs):
            super().__init__()
            self.net = nn.Linear(latent, 16)

        def forward(self, z):
            return torch.tanh(self.net(z)).unsqueeze(1)

    class Critic(nn.Module):
        def __init__(self, **kwargs):
            super().__init__()
            self.net = nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))

        def forward(self, x):
            return self.net(x)

    batches = iter([{"X": np.random.randn(3, 1, 16).astype(np.float32)} for _ in range(5)])
    return {
        "WaveGANGenerator": Generator, "WaveGANDiscriminator": Critic, "model_size": 1, "ngpus": 1, "latent_dim": latent,
        "args": {"learning_rate": 1e-4, "beta1": 0.5, "beta2": 0.9}, "epochs": 1, "BATCH_NUM": 1, "cuda": False,
        "batch_size": 3, "Variable": Variable, "numpy_to_var": lambda a, cuda: Variable(torch.from_numpy(a)), "train_iter": batches,
    }


@gt.case("pt-gh-wavegan-backward-one-shape-1-for-0-dim-mean")
def _():
    bug = gt.raises(lambda: gt.exec_snippet(__file__, names()))
    fixed = gt.raises(lambda: gt.exec_snippet(__file__, names(), snippet="fixed.py"))
    return bug is not None and "Mismatch in shape" in str(bug) and fixed is None, f"snippet raises {bug}; fixed.py raises {fixed}"


gt.main()
