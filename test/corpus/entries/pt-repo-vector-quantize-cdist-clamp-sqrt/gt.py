import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

# einops is not installed here: these stand-ins implement exactly the three patterns the helper uses, and the import
# line of the snippet is made to find them.
import types  # noqa: E402


def _reduce(t, pattern, op):
    assert pattern == "b n d -> b n" and op == "sum"
    return t.sum(-1)


def _rearrange(t, pattern):
    return {"b i -> b i 1": lambda: t[:, :, None], "b j -> b 1 j": lambda: t[:, None, :]}[pattern]()


sys.modules.setdefault("einops", types.SimpleNamespace(rearrange=_rearrange, reduce=_reduce, repeat=None, pack=None, unpack=None))


@gt.case("pt-repo-vector-quantize-cdist-clamp-sqrt")
def _():
    ns = gt.exec_snippet(__file__, {})
    codes = torch.tensor([[[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]]], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([[[1.0, 2.0], [0.2, 0.1]]], dtype=torch.float64, requires_grad=True)  # the first input equals a code
    dist = -ns["cdist"](x, codes)
    loss = torch.softmax(dist, dim=-1).pow(2).sum()  # a differentiable use of the distances (straight-through logits)
    gx, gc = torch.autograd.grad(loss, (x, codes))
    bad = bool(torch.isnan(gx).any() or torch.isnan(gc).any())
    return bad, f"distances finite: {bool(torch.isfinite(dist).all())}; gradient NaN: {bad}"


gt.main()
