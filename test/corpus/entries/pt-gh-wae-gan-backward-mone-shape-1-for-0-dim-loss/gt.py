"""Ground truth for pt-gh-wae-gan-backward-mone-shape-1-for-0-dim-loss: the snippet's training step (small stand-in
encoder, decoder and discriminator, one batch) raises the shape mismatch; the answer's fix (fixed.py) runs. tqdm is not
installed here: a pass-through stands in for its progress bar, which does not touch the tensors."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


try:
    import tqdm  # noqa: F401
except ImportError:
    sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda iterable, *a, **k: iterable)


def names():
    args = types.SimpleNamespace(lr=1e-4, epochs=1, n_z=2, sigma=1.0, LAMBDA=1.0)

    class Encoder(nn.Module):
        def __init__(self, args):
            super().__init__()
            self.fc = nn.Sequential(nn.Flatten(), nn.Linear(16, args.n_z))

        def forward(self, x):
            return self.fc(x)

    class Decoder(nn.Module):
        def __init__(self, args):
            super().__init__()
            self.fc = nn.Sequential(nn.Linear(args.n_z, 16), nn.Sigmoid())

        def forward(self, z):
            return self.fc(z).view(-1, 1, 4, 4)

    class Discriminator(nn.Module):
        def __init__(self, args):
            super().__init__()
            self.fc = nn.Sequential(nn.Linear(args.n_z, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1), nn.Sigmoid())

        def forward(self, z):
            return self.fc(z)

    loader = [(torch.rand(3, 1, 4, 4), torch.zeros(3))]
    return {"Encoder": Encoder, "Decoder": Decoder, "Discriminator": Discriminator, "args": args, "train_loader": loader}


@gt.case("pt-gh-wae-gan-backward-mone-shape-1-for-0-dim-loss")
def _():
    bug = gt.raises(lambda: gt.exec_snippet(__file__, names()))
    fixed = gt.raises(lambda: gt.exec_snippet(__file__, names(), snippet="fixed.py"))
    return bug is not None and "Mismatch in shape" in str(bug) and fixed is None, f"snippet raises {bug}; fixed.py raises {fixed}"


gt.main()
