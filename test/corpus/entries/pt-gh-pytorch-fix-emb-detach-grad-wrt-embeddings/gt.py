import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-fix-emb-detach-grad-wrt-embeddings"


@gt.case(CASE)
def _():
    # The issue quotes only the branch; the reproduction embeds two sentences, runs the branch as quoted
    # (with self.config.fix_emb = True) and asks for the gradient w.r.t. the embeddings, as the reporter did.
    torch.manual_seed(0)
    emb = torch.nn.Embedding(20, 8).double()
    clf = gt.mlp(16, 3)
    prem_embed = emb(torch.randint(0, 20, (4, 5)))
    hypo_embed = emb(torch.randint(0, 20, (4, 5)))
    inputs = (prem_embed, hypo_embed)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path, encoding="utf-8") as fh:
        ns = {"self": SimpleNamespace(config=SimpleNamespace(fix_emb=True)), "prem_embed": prem_embed, "hypo_embed": hypo_embed}
        exec(compile(fh.read(), path, "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    loss = clf(torch.cat([ns["prem_embed"].mean(1), ns["hypo_embed"].mean(1)], 1)).sum()
    err = gt.raises(lambda: torch.autograd.grad(loss, inputs))
    return err is not None, f"grad w.r.t. the embeddings after the quoted branch: {err or 'no error'}"


gt.main()
