import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn.functional as F

CASE = "pt-git-speechbrain-aam-sqrt-of-unclamped-cosine"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    aam = ns["AdditiveAngularMargin"](margin=0.2, scale=30)
    # Speaker embeddings vs class centres; the first embedding lies exactly on its class centre (cosine 1).
    W = torch.eye(4, 8)
    x = torch.cat([W[:1], torch.randn(2, 8)]).requires_grad_(True)
    labels = torch.tensor([0, 1, 2])
    cosine = F.linear(F.normalize(x), F.normalize(W))
    pred = aam(cosine, F.one_hot(labels, 4).float())
    loss = F.cross_entropy(pred, labels)
    loss.backward()
    finite = bool(torch.isfinite(loss)) and bool(torch.isfinite(x.grad).all())
    return not finite, (f"max cosine {float(cosine.max()):.8f}; loss {float(loss):.4g}; "
                        f"embedding gradient finite: {bool(torch.isfinite(x.grad).all())} "
                        f"(non-finite entries: {int((~torch.isfinite(x.grad)).sum())})")


gt.main()
