import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-gh-semanticgan-r1-penalty-frozen-image-discriminator"


def run(frozen: bool):
    torch.manual_seed(0)
    d_img = nn.Sequential(nn.Flatten(), nn.Linear(12, 16), nn.Softplus(), nn.Linear(16, 1)).double()
    d_seg = nn.Sequential(nn.Flatten(), nn.Linear(12, 1)).double()
    gen = nn.Linear(4, 12).double()
    before = [p.detach().clone() for p in d_img.parameters()]
    names = {
        "generator": gen,
        "discriminator_img": d_img,
        "discriminator_seg": d_seg,
        "args": types.SimpleNamespace(d_reg_every=1, r1=10.0),
        "i": 0,
        "real_img": torch.randn(8, 3, 2, 2, dtype=torch.float64),
        "d_img_optim": torch.optim.Adam(d_img.parameters(), lr=1e-2),
    }
    if not frozen:
        # the maintainer's reading: the image discriminator's gradients enabled for its regularization
        src = open(os.path.join(os.path.dirname(__file__), "snippet.py")).read()
        src = src.replace("requires_grad(discriminator_img, False)", "requires_grad(discriminator_img, True)")
        ns = {"__name__": "snippet"}
        ns.update(names)
        exec(compile(src, "snippet-toggled", "exec"), ns)
    else:
        ns = gt.exec_snippet(__file__, names)
    moved = max(float((p.detach() - b).abs().max()) for p, b in zip(d_img.parameters(), before))
    return moved, float(ns["r1_img_loss"])


@gt.case(CASE)
def _():
    moved, r1 = run(frozen=True)
    moved_ref, _ = run(frozen=False)
    return moved == 0.0 and moved_ref > 0.0, (
        f"R1 loss {gt.fmt(r1)}; image discriminator moved by {gt.fmt(moved)} as quoted, "
        f"by {gt.fmt(moved_ref)} with its gradients enabled"
    )


gt.main()
