"""Ground truth for pt-gh-transformers-bert-hidden-state-token-grad: the issue's lines with a small stand-in encoder
that returns (last_hidden_state, pooled_output, hidden_states) as BertModel does with output_hidden_states (a BERT
checkpoint cannot be downloaded here). The derivative with respect to bert_layer_i_output[k] raises "not have been used
in the graph" (the snippet's own text, run); the derivative with respect to hidden_states[i] (then row k of it) is
computed."""
import contextlib
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


class TinyEncoder(nn.Module):
    def __init__(self, vocab=30, dim=8, layers=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList([nn.Linear(dim, dim) for _ in range(layers)])

    def forward(self, input_ids, attention_mask):
        h = self.emb(input_ids) * attention_mask.unsqueeze(-1)
        hidden_states = [h]
        for layer in self.layers:
            h = torch.tanh(layer(h) + h.mean(1, keepdim=True))
            hidden_states.append(h)
        return h, h[:, 0], tuple(hidden_states)


@gt.case("pt-gh-transformers-bert-hidden-state-token-grad")
def _():
    bert = TinyEncoder()
    data = {"input_ids": torch.randint(0, 30, (1, 2, 5)), "attention_mask": torch.ones(1, 2, 5)}
    names = {"torch": torch, "data_loader": [data], "bert_model": bert, "i": 1, "j": 3}
    with contextlib.redirect_stdout(io.StringIO()):  # the snippet prints shapes
        err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    input_ids = torch.squeeze(data["input_ids"], dim=0)
    attention_mask = torch.squeeze(data["attention_mask"], dim=0)
    _, _, hidden_states = bert(input_ids=input_ids, attention_mask=attention_mask)
    k = 0
    bert_layer_j_output = hidden_states[3][0]
    whole = torch.autograd.grad(bert_layer_j_output[k], hidden_states[1], grad_outputs=torch.ones_like(bert_layer_j_output[k]))[0]
    ok = whole[0, k].abs().sum() > 0
    return err is not None and "not have been used" in err and bool(ok), f"row-indexed input raises {err}; whole hidden state works"


gt.main()
