import os
import sys
import time
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-annotated-transformer-validation-loss-backward"


class Generator(nn.Module):
    def __init__(self, d, v):
        super().__init__()
        self.proj = nn.Linear(d, v)

    def forward(self, x):
        return torch.log_softmax(self.proj(x), dim=-1)


class Embeddings(nn.Module):
    def __init__(self, d, v):
        super().__init__()
        self.d_model = d
        self.lut = nn.Embedding(v, d)


class TinyModel(nn.Module):
    """Stand-in for the notebook's make_model: embeds the shifted target and mixes in the mean source embedding
    (an encoder-decoder reduced to two embeddings and a linear layer), with the notebook's generator."""

    def __init__(self, v, d=8):
        super().__init__()
        self.src_embed = nn.Sequential(Embeddings(d, v))
        self.tgt_embed = Embeddings(d, v)
        self.mix = nn.Linear(d, d)
        self.generator = Generator(d, v)

    def forward(self, src, trg, src_mask, trg_mask):
        memory = self.src_embed[0].lut(src).mean(dim=1, keepdim=True)
        return torch.tanh(self.mix(self.tgt_embed.lut(trg) + memory))


class NoamOpt:
    """The notebook's NoamOpt: a warm-up learning-rate schedule around an optimizer."""

    def __init__(self, model_size, factor, warmup, optimizer):
        self.optimizer, self._step, self.warmup, self.factor, self.model_size = optimizer, 0, warmup, factor, model_size

    def step(self):
        self._step += 1
        rate = self.factor * (self.model_size ** (-0.5) * min(self._step ** (-0.5), self._step * self.warmup ** (-1.5)))
        for p in self.optimizer.param_groups:
            p["lr"] = rate
        self.optimizer.step()


def label_smoothing(size, padding_idx, smoothing):
    # With smoothing 0 the notebook's LabelSmoothing is a summed KL to one-hot targets, i.e. a summed NLL. It returns
    # a one-element tensor, as losses did in the PyTorch 0.3 the notebook targets (hence loss.data[0]).
    return lambda x, y: torch.nn.functional.nll_loss(x, y, reduction="sum").reshape(1)


def data_gen(V, batch, nbatches):
    """The notebook's copy task: random sequences, the target is the source."""
    for _ in range(nbatches):
        data = torch.randint(1, V, (batch, 10))
        data[:, 0] = 1
        src, tgt = data, data
        yield types.SimpleNamespace(src=src, trg=tgt[:, :-1], trg_y=tgt[:, 1:], src_mask=None, trg_mask=None,
                                    ntokens=int((tgt[:, 1:] != 0).sum()))


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    leftover = []
    state = {}

    def record_print(*args):
        # The loop prints right after each evaluation epoch (opt=None): what .grad holds then is what the next
        # training epoch's first NoamOpt.step() will add to its own gradient.
        model = state["ns"]["model"] if "ns" in state else None
        if model is not None and len(args) == 1 and not isinstance(args[0], str):
            leftover.append(gt.norm_of(gt.param_grads(model)))

    names = {"time": time, "torch": torch, "LabelSmoothing": label_smoothing, "make_model": lambda a, b, N: TinyModel(a),
             "NoamOpt": NoamOpt, "data_gen": data_gen, "print": record_print}

    # exec_snippet returns the namespace only at the end; make it visible to record_print while the loop runs.
    class NS(dict):
        def __setitem__(self, k, v):
            super().__setitem__(k, v)
            state["ns"] = self

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    ns = NS(__name__="snippet", __file__=path, **names)
    with open(path, encoding="utf-8") as fh:
        exec(compile(fh.read(), path, "exec"), ns)  # noqa: S102
    worst = max(leftover) if leftover else 0.0
    return worst > 0.0, (f"gradient norm left in .grad by the evaluation epochs (opt=None), carried into the next "
                         f"training step: max {gt.fmt(worst)} over {len(leftover)} evaluations")


gt.main()
