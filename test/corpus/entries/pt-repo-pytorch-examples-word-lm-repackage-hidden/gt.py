import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-repo-pytorch-examples-word-lm-repackage-hidden"


class RNNModel(nn.Module):
    """A small LSTM language model with the example's interface (forward(input, hidden), init_hidden)."""

    def __init__(self, ntoken=20, nhid=8):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, nhid)
        self.rnn = nn.LSTM(nhid, nhid)
        self.decoder = nn.Linear(nhid, ntoken)
        self.nhid = nhid

    def forward(self, input, hidden):
        output, hidden = self.rnn(self.encoder(input), hidden)
        return self.decoder(output), hidden

    def init_hidden(self, bsz):
        return (torch.zeros(1, bsz, self.nhid), torch.zeros(1, bsz, self.nhid))


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = RNNModel()
    bptt, bsz = 5, 4
    train_data = torch.randint(0, 20, (31, bsz))

    def get_batch(source, i):
        seq_len = min(bptt, len(source) - 1 - i)
        return source[i:i + seq_len], source[i + 1:i + 1 + seq_len].reshape(-1)

    crit = nn.CrossEntropyLoss()
    names = {
        "torch": torch, "time": __import__("time"), "model": model, "train_data": train_data, "get_batch": get_batch,
        "corpus": SimpleNamespace(dictionary=[0] * 20), "epoch": 1, "lr": 0.1,
        "criterion": lambda out, tgt: crit(out.view(-1, 20), tgt),
        "args": SimpleNamespace(model="LSTM", batch_size=bsz, bptt=bptt, use_optimizer=False, clip=0.25, log_interval=1000),
    }
    ns = gt.exec_snippet(__file__, names)
    err = gt.raises(ns["train"])
    return err is not None, f"train() over {len(train_data) // bptt} truncated-BPTT batches raised {err}"


gt.main()
