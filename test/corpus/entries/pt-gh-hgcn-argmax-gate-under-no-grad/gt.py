import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


@gt.case("pt-gh-hgcn-argmax-gate-under-no-grad")
def _():
    # The issue quotes only the gate; its design as the author describes it: the region logits are returned and
    # trained by their own loss, the argmax gate (under no_grad) masks the spectrum branch.
    torch.manual_seed(0)
    region_head = torch.nn.Linear(8, 4)
    spec_head = torch.nn.Linear(8, 8)
    x = torch.randn(16, 8)
    labels = torch.randint(0, 4, (16,))
    region_logits = region_head(x)
    with torch.no_grad():
        gate = (torch.argmax(region_logits, -1).to(torch.float) > 0).float().unsqueeze(1)
    out = spec_head(x) * gate
    loss = F.cross_entropy(region_logits, labels) + (out ** 2).mean()
    loss.backward()
    missing = [n for n, p in [("region", region_head.weight), ("spec", spec_head.weight)] if p.grad is None or p.grad.abs().sum() == 0]
    return len(missing) > 0, f"parameters without a gradient: {missing}"


gt.main()
