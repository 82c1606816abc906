import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-silero-vad-tuning-no-zero-grad"


class Decoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(8, 1)

    def forward(self, x, state):
        return torch.sigmoid(self.lin(x)).transpose(1, 2), state


@gt.case(CASE)
def _():
    sys.modules["tqdm"] = types.SimpleNamespace(tqdm=lambda it, total=None: it)
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    stft = lambda inp: inp[:, None, -8:]  # noqa: E731  (batch, 1, 8) features
    encoder = torch.nn.Identity()
    jit_model = types.SimpleNamespace(_model=types.SimpleNamespace(stft=stft, encoder=encoder))
    config = types.SimpleNamespace(tune_8k=False)
    decoder = Decoder()
    batches = []
    for _ in range(2):
        x = torch.randn(3, 1024)
        n = len(range(64, 1024 + 64, 512))
        batches.append((x, torch.rand(3, n).round(), torch.ones(3, n)))
    criterion = torch.nn.BCELoss(reduction="none")
    optimizer = torch.optim.SGD(decoder.parameters(), lr=0.0)
    ns["train"](config, batches, jit_model, decoder, criterion, optimizer, "cpu")
    got = decoder.lin.weight.grad.clone()
    # The last batch's own gradient, computed fresh with the same (unchanged) parameters.
    decoder.zero_grad()
    ns["train"](config, batches[1:], jit_model, decoder, criterion, optimizer, "cpu")
    own = decoder.lin.weight.grad.clone()
    err = gt.rel_err(got, own)
    return err > 1e-6, f"decoder grad after 2 batches vs last batch's own gradient: rel err {err:.3g}"


gt.main()
