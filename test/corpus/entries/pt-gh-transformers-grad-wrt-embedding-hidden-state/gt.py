"""Ground truth for pt-gh-transformers-grad-wrt-embedding-hidden-state: the issue's lines run with stand-ins for
BertTokenizer/BertModel (a BERT checkpoint cannot be downloaded here; the transformers import is dropped): the model
returns (last_hidden_state, pooler_output, hidden_states, attentions) as BertModel does with output_hidden_states and
output_attentions, hidden_states[0] being the embedding output. torch.autograd.grad(y, X) runs, and its entries equal
finite differences of y recomputed from a perturbed embedding output: an element of the hidden-states tuple is the
tensor the later layers were computed from (indexing the tuple makes no new tensor)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


class TinyBert(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 6)
        self.layers = nn.ModuleList([nn.Linear(6, 6) for _ in range(3)])

    def encode(self, h):
        hidden = [h]
        for layer in self.layers:
            h = torch.tanh(layer(h) + h.mean(1, keepdim=True))
            hidden.append(h)
        return hidden

    def forward(self, input_ids):
        hidden = self.encode(self.emb(input_ids))
        return hidden[-1], hidden[-1][:, 0], tuple(hidden), ()


class BertModel:
    @staticmethod
    def from_pretrained(name, **kwargs):
        return TinyBert().double()


class BertTokenizer:
    @staticmethod
    def from_pretrained(name, **kwargs):
        return BertTokenizer()

    def encode_plus(self, s, **kwargs):
        return {"input_ids": torch.tensor([[3, 7, 11, 5]])}


@gt.case("pt-gh-transformers-grad-wrt-embedding-hidden-state")
def _():
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        text = fh.read().replace("from transformers import BertTokenizer, BertModel\n", "")
    ns = {"__name__": "snippet", "torch": torch, "BertModel": BertModel, "BertTokenizer": BertTokenizer, "model_version": "bert-base-uncased"}
    exec(compile(text, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    X, model = ns["X"], ns["model"]
    g = torch.autograd.grad(ns["y"], X)[0]
    h = 1e-6
    worst = 0.0
    for idx in [(0, 0, 0), (0, 2, 3), (0, 3, 5)]:
        e = torch.zeros_like(X)
        e[idx] = h
        with torch.no_grad():
            up = model.encode(X + e)[3][0][0][0]
            down = model.encode(X - e)[3][0][0][0]
        fd = float((up - down) / (2 * h))
        worst = max(worst, abs(float(g[idx]) - fd) / max(1e-8, abs(fd)))
    return worst > 1e-5, f"grad(y, hidden_states[0]) vs finite differences: worst relative difference {gt.fmt(worst)}"


gt.main()
