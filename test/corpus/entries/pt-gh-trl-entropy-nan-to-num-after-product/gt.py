"""Ground truth for pt-gh-trl-entropy-nan-to-num-after-product: the snippet is a fragment (the hunk elides the flattening of the logits), so the same two
lines are run on one row of logits with a masked entry, [0, -inf, 1]: the entropy is finite and its gradient must be
finite (the masked entry contributes 0), as it is for a very negative finite logit."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-trl-entropy-nan-to-num-after-product"


@gt.case(CASE)
def _():
    chunk = torch.tensor([[0.0, float("-inf"), 1.0]], requires_grad=True)
    logps = F.log_softmax(chunk, dim=-1)
    chunk_entropy = -(torch.exp(logps) * logps).nan_to_num(nan=0.0, posinf=0.0, neginf=0.0).sum(-1)
    chunk_entropy.sum().backward()
    g = chunk.grad
    return bool(torch.isnan(g).any()), f"entropy {chunk_entropy.item():.4g}, gradient {g.tolist()}"


gt.main()
