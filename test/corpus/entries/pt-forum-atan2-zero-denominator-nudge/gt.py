import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-atan2-zero-denominator-nudge"


class _Leafy:
    """torch with randn returning leaves that require grad, so the quoted lines build a graph."""

    def __init__(self):
        self.made = []

    def __getattr__(self, name):
        return getattr(torch, name)

    def randn(self, *shape):
        t = torch.randn(*shape, dtype=torch.float64)
        base = t.clone().requires_grad_(True)
        self.made.append(base)
        return base.clone()  # a non-leaf copy so the quoted in-place [0, 0] = 0. is allowed

    def atan2(self, a, b):
        a.retain_grad()
        b.retain_grad()
        self.args = (a, b)
        return torch.atan2(a, b)


@gt.case(CASE)
def _():
    fake = _Leafy()
    gt.exec_snippet(__file__, {"torch": fake})
    a, b = fake.args  # the tensors atan2 received, gradients retained
    bad = int(torch.isnan(a.grad).sum() + torch.isnan(b.grad).sum())
    # the same inputs without the nudge, for contrast
    a2 = a.detach().clone().requires_grad_(True)
    b2 = b.detach().clone()
    b2[0, 0] = 0.0
    b2.requires_grad_(True)
    torch.atan2(a2, b2).mean().backward()
    bad_without = int(torch.isnan(a2.grad).sum() + torch.isnan(b2.grad).sum())
    return bad > 0, f"NaN entries in the gradients with the nudge: {bad}; without it: {bad_without}"


gt.main()
