import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-blog-bert-token-importance-input-ids-requires-grad"


class TinyBert(torch.nn.Module):
    """Stand-in for BertModel (transformers is not installed): token ids -> embeddings -> a layer, with the
    output object's last_hidden_state as BERT returns it."""

    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(100, 8)
        self.layer = torch.nn.Linear(8, 8)

    def forward(self, input_ids):
        return SimpleNamespace(last_hidden_state=torch.tanh(self.layer(self.emb(input_ids))))


def tokenizer(text, return_tensors="pt"):
    # Stand-in for BertTokenizer: returns int64 token ids, as the real tokenizer does.
    ids = [101] + [hash(w) % 90 + 5 for w in text.split()] + [102]
    return {"input_ids": torch.tensor([ids])}


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    names = {"model": TinyBert(), "tokenizer": tokenizer, "print": lambda *a, **k: None}
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    return err is not None, f"get_token_importance: {err or 'no error'} (stand-in BERT and tokenizer, int64 ids as BertTokenizer returns)"


gt.main()
