import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


class STFT(torch.nn.Module):
    """Stand-in for the repository's conv-based STFT module: magnitudes and phases of torch.stft (differentiable)."""

    def __init__(self, filter_length, hop_length, win_length):
        super().__init__()
        self.n_fft, self.hop, self.win = filter_length, hop_length, win_length

    def transform(self, y):
        spec = torch.stft(y, self.n_fft, self.hop, self.win, window=torch.hann_window(self.win), return_complex=True)
        return spec.abs(), spec.angle()


def librosa_mel_fn(sr, n_fft, n_mels, fmin, fmax):
    g = torch.Generator().manual_seed(0)
    return torch.rand(n_mels, n_fft // 2 + 1, generator=g).numpy()  # a non-negative filter bank of the right shape


@gt.case("pt-git-hifigan-mel-loss-magnitudes-data")
def _():
    names = {"STFT": STFT, "librosa_mel_fn": librosa_mel_fn,
             "dynamic_range_compression": lambda x, C=1, clip_val=1e-5: torch.log(torch.clamp(x, min=clip_val) * C),
             "dynamic_range_decompression": lambda x, C=1: torch.exp(x) / C}
    ns = gt.exec_snippet(__file__, names)
    stft = ns["TacotronSTFT"](filter_length=64, hop_length=16, win_length=64, n_mel_channels=8)
    torch.manual_seed(0)
    generator = torch.nn.Sequential(torch.nn.Linear(10, 256), torch.nn.Tanh())  # audio in [-1, 1]
    fake_audio = generator(torch.randn(2, 10))
    melG = torch.randn(2, 8, 17)
    mel_fake = stft.mel_spectrogram(fake_audio)
    loss_mel = torch.nn.L1Loss()(melG[:, :, :mel_fake.size(2)], mel_fake)
    out = {}
    err = gt.raises(lambda: out.setdefault("g", torch.autograd.grad(loss_mel, list(generator.parameters()))))
    if err is not None:
        return True, f"mel L1 loss has no gradient to the generator: {err}"
    g = out["g"]
    return gt.norm_of(g) == 0.0, f"generator gradient norm from the mel loss {gt.fmt(gt.norm_of(g))}"


gt.main()
