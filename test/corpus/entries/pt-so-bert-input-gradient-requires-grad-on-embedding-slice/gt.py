import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-so-bert-input-gradient-requires-grad-on-embedding-slice"


class TinyBert(torch.nn.Module):
    """A stand-in for BertForSequenceClassification: .bert.get_input_embeddings(), forward(inputs_embeds=, labels=)."""

    def __init__(self):
        super().__init__()
        emb = torch.nn.Embedding(20, 8)
        self.bert = types.SimpleNamespace(get_input_embeddings=lambda: emb)
        self.emb = emb
        self.head = torch.nn.Linear(8, 2)

    def forward(self, inputs_embeds=None, labels=None):
        logits = self.head(torch.tanh(inputs_embeds).mean(1))
        return types.SimpleNamespace(loss=torch.nn.functional.cross_entropy(logits, labels), logits=logits)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    model = TinyBert()
    token_ids = torch.randint(0, 20, (3, 5))
    batch = (token_ids, torch.ones(3, 5), torch.tensor([0, 1, 1]))
    inputs_embeds = model.emb.weight[token_ids].clone()
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"batch": batch, "BertModel": model, "inputs_embeds": inputs_embeds}))
    return err is not None, f"quoted answer: {err or 'ran'}"


gt.main()
