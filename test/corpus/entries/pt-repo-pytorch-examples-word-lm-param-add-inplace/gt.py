import os
import sys
import time
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pytorch-examples-word-lm-param-add-inplace"
NTOKENS = 12


class TinyLM(torch.nn.Module):
    """A small next-token model standing in for the example's Transformer (same call: model(data))."""

    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(NTOKENS, 16)
        self.out = torch.nn.Linear(16, NTOKENS)

    def forward(self, data):
        return self.out(torch.tanh(self.emb(data)))


def setup():
    torch.manual_seed(0)
    args = SimpleNamespace(model="Transformer", bptt=5, clip=0.25, batch_size=4)
    seq = torch.arange(200) % NTOKENS  # a periodic corpus: the next token is learnable
    train_data = seq.view(-1, args.batch_size)

    def get_batch(source, i):  # as in the example's main.py
        seq_len = min(args.bptt, len(source) - 1 - i)
        data = source[i:i+seq_len]
        target = source[i+1:i+1+seq_len].view(-1)
        return data, target

    model = TinyLM()
    names = {"torch": torch, "time": time, "model": model, "args": args, "train_data": train_data,
             "get_batch": get_batch, "corpus": SimpleNamespace(dictionary=list(range(NTOKENS))),
             "criterion": torch.nn.CrossEntropyLoss(), "lr": 1.0, "repackage_hidden": None}
    return names


def full_loss(ns):
    with torch.no_grad():
        data, targets = ns["train_data"][:-1], ns["train_data"][1:].reshape(-1)
        return float(ns["criterion"](ns["model"](data).view(-1, NTOKENS), targets))


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, setup())
    before = full_loss(ns)
    err = gt.raises(lambda: [ns["train"]() for _ in range(5)])
    after = full_loss(ns)
    if err is not None:
        return True, f"train() raised {err}"
    return not after < 0.5 * before, f"5 epochs of train(): loss {gt.fmt(before)} -> {gt.fmt(after)}"


gt.main()
