"""Ground truth for pt-git-pytorch-stoi-octave-band-root-at-silence: the snippet's stft and its Eq. (1) line (the forward is trimmed around
them, so the line is evaluated here as written) on an estimate with a silent stretch, as a padded or
muted utterance has: a band's energy is 0 in the silent frames, the gradient of the estimate is checked
for NaN. The one-third octave band matrix is a 0/1 matrix of contiguous bins, as pystoi's thirdoct makes."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-git-pytorch-stoi-octave-band-root-at-silence")
def _():
    ns = gt.exec_snippet(__file__, {})
    stft = ns["NegSTOILoss"].stft
    EPS = ns["EPS"]
    torch.manual_seed(0)
    win_len, nfft = 256, 512
    win = torch.hann_window(win_len + 2, dtype=torch.float64)[1:-1]
    obm = torch.zeros(15, nfft // 2 + 1, dtype=torch.float64)
    for b in range(15):
        obm[b, 5 + 8 * b: 13 + 8 * b] = 1.0
    est = torch.randn(1, 4000, dtype=torch.float64)
    est[:, 1000:2500] = 0.0  # a silent stretch
    est.requires_grad_(True)
    y_spec = stft(est, win, nfft, overlap=2)
    y_tob = torch.matmul(obm, torch.norm(y_spec, 2, -1) ** 2).pow(0.5)
    loss = -y_tob.mean()
    (g,) = torch.autograd.grad(loss, est)
    bad = bool(torch.isnan(g).any())
    return bad, f"band envelope finite: {bool(torch.isfinite(y_tob).all())}; zero band energies: {int((y_tob == 0).sum())}; gradient has NaN: {bad}"


gt.main()
