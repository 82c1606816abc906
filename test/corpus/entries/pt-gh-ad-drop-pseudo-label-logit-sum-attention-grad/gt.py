"""Ground truth for pt-gh-ad-drop-pseudo-label-logit-sum-attention-grad: the snippet's attribution lines with a small
self-attention classifier standing in for the repository's BERT (its forward returns the loss, the logits and each
layer's attention probabilities, as the repository's modified transformers model does). The gradient of the summed
pseudo-label logits with respect to a layer's attention equals, row by row, the gradient of each sample's own logit:
the sum trick is exact here."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class TinyAttentionClassifier(nn.Module):
    def __init__(self, vocab=20, dim=8, layers=2, classes=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.qkv = nn.ModuleList([nn.Linear(dim, 3 * dim) for _ in range(layers)])
        self.out = nn.Linear(dim, classes)

    def forward(self, input_ids, labels):
        h = self.emb(input_ids)
        attentions = []
        for qkv in self.qkv:
            q, k, v = qkv(h).chunk(3, dim=-1)
            probs = torch.softmax(q @ k.transpose(1, 2) / 8 ** 0.5, dim=-1)
            attentions.append(probs)
            h = torch.tanh(h + probs @ v)
        logits = self.out(h.mean(1))
        return F.cross_entropy(logits, labels), logits, attentions


@gt.case("pt-gh-ad-drop-pseudo-label-logit-sum-attention-grad")
def _():
    model = TinyAttentionClassifier()
    model.train()
    input_ids = torch.randint(0, 20, (4, 5))
    labels = torch.randint(0, 2, (4,))
    out = model(input_ids, labels=labels)
    outputs_ori, attention_ori = out[1], out[2]
    p_label = outputs_ori.argmax(dim=-1)
    outputs_true = outputs_ori.gather(1, p_label.view(-1, 1)).sum()
    layer = 0
    (grad,) = torch.autograd.grad(outputs_true.view(-1), attention_ori[layer], retain_graph=True)
    rows = []
    for b in range(4):
        own = outputs_ori[b, p_label[b]]
        rows.append(torch.autograd.grad(own, attention_ori[layer], retain_graph=True)[0][b])
    per_sample = torch.stack(rows)
    err = gt.rel_err(grad, per_sample)
    return err > 1e-6, f"summed-logit gradient vs per-sample gradients: rel err {gt.fmt(err)}"


gt.main()
