"""Ground truth for pt-repo-circleloss-detached-weights: (1) CircleLossLikeCE on random logits: its gradient with
respect to the logits equals the gradient of the same expression with alpha computed beforehand as a plain
constant tensor, and is non-zero; (2) CircleLossBackward on the snippet's own __main__ data (smaller): its
manual backward gives the leaf features a non-zero gradient."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-circleloss-detached-weights"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    m, gamma = 0.25, 16.0
    inp = torch.randn(8, 5, requires_grad=True)
    label = torch.randint(0, 5, (8,))
    loss = ns["CircleLossLikeCE"](m, gamma)(inp, label)
    (g,) = torch.autograd.grad(loss, inp)
    with torch.no_grad():
        a = torch.clamp_min(inp + m, min=0)
        a.scatter_(1, label.unsqueeze(1), torch.clamp_min(-inp.gather(1, label.unsqueeze(1)) + 1 + m, min=0))
        sigma = torch.full_like(inp, m)
        sigma.scatter_(1, label.unsqueeze(1), 1 - m)
    ref = torch.nn.CrossEntropyLoss()(a * (inp - sigma) * gamma, label)
    (g_ref,) = torch.autograd.grad(ref, inp)
    raw = torch.rand(64, 16, requires_grad=True)
    feat = torch.nn.functional.normalize(raw)
    sp, sn = ns["convert_label_to_similarity"](feat, torch.randint(high=4, size=(64,)))
    ns["CircleLossBackward"](m=0.25, gamma=32)(sp, sn)
    g_feat = float(raw.grad.abs().max())
    ok = torch.allclose(g, g_ref) and float(g.abs().max()) > 0 and g_feat > 0
    return not ok, f"logit gradient {gt.fmt(float(g.abs().max()))} (constant-alpha reference equal: {torch.allclose(g, g_ref)}); feature gradient {gt.fmt(g_feat)}"


gt.main()
