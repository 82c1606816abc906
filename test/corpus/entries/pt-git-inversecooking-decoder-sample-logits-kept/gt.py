import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


@gt.case("pt-git-inversecooking-decoder-sample-logits-kept")
def _():
    # The snippet's decoder (its elided layers left out, one decoding step so that the elided incremental state is not
    # needed), then the ingredient loss as model.py computes it from sample()'s logits.
    ns = gt.exec_snippet(__file__, {})
    dec = ns["DecoderTransformer"](8, 12, seq_length=1, num_instrs=1)
    img_features = torch.randn(4, 8, 5)
    ids, logits = dec.sample(None, None, greedy=True, img_features=img_features, first_token_value=0, replacement=False)
    probs, _ = torch.max(torch.softmax(logits, dim=-1), dim=1)
    target = torch.zeros(4, 11)
    target[:, 3] = 1
    loss = nn.BCELoss(reduction="none")(probs, target).mean()
    err = gt.raises(lambda: loss.backward())
    norm = sum(float(p.grad.abs().sum()) for p in dec.parameters() if p.grad is not None)
    return err is not None or norm == 0.0, f"backward raised {err}; total |grad| of the decoder {gt.fmt(norm)}"


gt.main()
