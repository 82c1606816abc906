import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-lpips-normalize-tensor-eps-outside-sqrt")
def _():
    ns = gt.exec_snippet(__file__, {})
    x = torch.randn(1, 3, 4, 4, dtype=torch.float64, requires_grad=True)
    feat = torch.relu(torch.nn.functional.conv2d(x, torch.randn(8, 3, 1, 1, dtype=torch.float64)))
    mask = torch.ones_like(feat)
    mask[:, :, 0, 0] = 0.0  # every channel inactive at one pixel, as ReLU features of a flat region are
    feat = feat * mask
    ref = torch.rand_like(feat)
    loss = ((ns["normalize_tensor"](feat) - ns["normalize_tensor"](ref)) ** 2).sum()
    (g,) = torch.autograd.grad(loss, x)
    bad = bool(torch.isnan(g).any())
    return bad, f"loss {loss.item():.4g} finite; gradient NaN: {bad}"


gt.main()
