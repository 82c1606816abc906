import functools
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-arcface-sine-sqrt-at-unit-cosine")
def _():
    ns = gt.exec_snippet(__file__, {})
    torch.manual_seed(0)
    head = ns["ArcMarginProduct"](3, 4).double()
    with torch.no_grad():
        head.weight[1] = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)
    emb = torch.tensor([[2.0, 0.0, 0.0], [0.3, -0.4, 1.0]], dtype=torch.float64, requires_grad=True)  # row 0 aligned with class 1
    label = torch.tensor([1, 2])
    # The one-hot is built with device='cuda' in the source; this CPU run makes the same zeros on the CPU.
    zeros = torch.zeros
    torch.zeros = functools.partial(lambda size, **kw: zeros(size, dtype=torch.float64))
    try:
        out = head(emb, label)
    finally:
        torch.zeros = zeros
    loss = torch.nn.functional.cross_entropy(out, label)
    (g,) = torch.autograd.grad(loss, emb)
    bad = bool(torch.isnan(g).any())
    return bad, f"loss {loss.item():.4g}; gradient of the aligned embedding: {g[0].tolist()}"


gt.main()
