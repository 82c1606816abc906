"""Ground truth for pt-git-braindecode-amplitude-gradients-accumulate: the snippet's compute_amplitude_gradients_for_X on a small 1-D convolutional model (4 output
filters) and random signals, compared with a fresh gradient of each filter's mean output with respect to the
amplitudes. Stand-ins on this CPU-only machine with PyTorch 1.13: skorch's to_tensor/to_numpy (skorch is not installed;
to_numpy returns the tensor's NumPy view, as skorch does on the CPU), the 'cuda' device is the CPU, and torch.irfft
(removed from PyTorch) is the old one-dimensional real inverse FFT written with torch.fft.irfft."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def to_tensor(x, device=None):
    return torch.as_tensor(x)


def to_numpy(t):
    return t.detach().cpu().numpy()


def irfft(x, signal_ndim=1, signal_sizes=None):
    assert signal_ndim == 1
    return torch.fft.irfft(torch.view_as_complex(x.contiguous()), n=signal_sizes[0], dim=-1)


class Pool(nn.Module):
    def forward(self, x):
        return x.mean(dim=2)


@gt.case("pt-git-braindecode-amplitude-gradients-accumulate")
def _():
    torch.irfft = irfft
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        text = fh.read().replace("from skorch.utils import to_numpy, to_tensor\n", "")
    ns = {"__name__": "snippet", "to_numpy": to_numpy, "to_tensor": to_tensor}
    exec(compile(text, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    model = nn.Sequential(nn.Conv1d(3, 4, 5), nn.Tanh(), Pool())
    X = np.random.randn(2, 3, 16).astype(np.float32)
    got = ns["compute_amplitude_gradients_for_X"](model, X)
    # Fresh per-filter gradients with respect to the amplitudes, the same forward pass written out.
    ffted = np.fft.rfft(X, axis=2)
    amps_th = torch.as_tensor(np.abs(ffted).astype(np.float32)).requires_grad_(True)
    phases_th = torch.as_tensor(np.angle(ffted).astype(np.float32))
    coefs = amps_th.unsqueeze(-1) * torch.stack((torch.cos(phases_th), torch.sin(phases_th)), dim=-1)
    outs = model(irfft(coefs, 1, (X.shape[2],)))
    want = np.stack([torch.autograd.grad(outs[:, f].mean(), amps_th, retain_graph=True)[0].numpy() for f in range(4)])
    err = float(np.abs(got - want).max() / np.abs(want).max())
    return err > 1e-4, f"rows vs fresh per-filter gradients: max relative difference {err:.3g}"


gt.main()
