import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import contextlib
import io
import types
import gt, torch


@gt.case("pt-gh-fairseq-wav2vec-extractor-torch-tensor-copies-input")
def _():
    # Stand-in for Wav2VecModel's convolutional feature_extractor (input (1, T) waveform); T is torch.tensor,
    # as the script's `T(...)` calls intend.
    torch.manual_seed(0)
    conv = torch.nn.Sequential(torch.nn.Conv1d(1, 4, 10, stride=5), torch.nn.GELU(), torch.nn.Conv1d(4, 4, 8, stride=4))
    fe = lambda x: conv(x.unsqueeze(1))
    model = types.SimpleNamespace(feature_extractor=fe, eval=lambda: None)
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {"torch": torch, "T": torch.tensor, "model": model})
    fp = ns["fp"]
    # the same distance without the copy: does the waveform carry a gradient to f0 at all?
    fp2 = torch.tensor(660.0, requires_grad=True)
    d2 = torch.mean(torch.abs(fe(ns["sine"](torch.tensor(440.0)).view(1, -1)) - fe(ns["sine"](fp2).view(1, -1))))
    g2 = torch.autograd.grad(d2, fp2)[0]
    return fp.grad is None, f"fp.grad after dist.backward(): {fp.grad}; without torch.tensor(...) d dist/d f0 = {gt.fmt(float(g2))}"


gt.main()
