import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-drgo-mlp-forward-detach-every-layer")
def _():
    ns = gt.exec_snippet(__file__, {})
    mlp = ns["MLP"]([16, 32], [32, 16], 8, norm=False, dropout=0.0)
    x = torch.randn(6, 16)
    t = torch.randint(0, 50, (6,))
    loss = ((mlp(x, t) - x) ** 2).mean()
    loss.backward()
    none = [n for n, p in mlp.named_parameters() if p.grad is None]
    live = [n for n, p in mlp.named_parameters() if p.grad is not None]
    return len(none) > 0, f"no gradient: {none}; gradient: {live}"


gt.main()
