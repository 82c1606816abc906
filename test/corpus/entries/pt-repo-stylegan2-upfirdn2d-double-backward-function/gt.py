"""Ground truth for pt-repo-stylegan2-upfirdn2d-double-backward-function: the snippet's two Functions run with a
stand-in for the CUDA kernel `upfirdn2d_op.upfirdn2d` (written here for up = down = 1: pad, then convolve with the
kernel), on a 3x3 blur as StyleGAN2's discriminator uses it. A gradient penalty on a create_graph input gradient
through UpFirDn2d back-propagates (UpFirDn2dBackward's backward gives the second derivative) and matches the same
filter written with F.conv2d."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def kernel_op(input, kernel, up_x, up_y, down_x, down_y, pad_x0, pad_x1, pad_y0, pad_y1):
    # input: (N*C, H, W, 1) as the Functions reshape it; result in the same layout.
    assert up_x == up_y == down_x == down_y == 1
    x = input.permute(0, 3, 1, 2)
    x = F.pad(x, (pad_x0, pad_x1, pad_y0, pad_y1))
    w = torch.flip(kernel, [0, 1]).view(1, 1, *kernel.shape)
    return F.conv2d(x, w).permute(0, 2, 3, 1).contiguous()


def penalty(blur, x):
    score = torch.tanh(blur(x)).pow(2).sum()
    g = torch.autograd.grad(score, x, create_graph=True)[0]
    p = g.pow(2).sum()
    p.backward()
    return x.grad.clone()


@gt.case("pt-repo-stylegan2-upfirdn2d-double-backward-function")
def _():
    ns = gt.exec_snippet(__file__, {"upfirdn2d_op": types.SimpleNamespace(upfirdn2d=kernel_op)})
    k = torch.tensor([1.0, 2.0, 1.0], dtype=torch.float64)
    k = (k[:, None] * k[None, :]) / 16
    torch.manual_seed(0)
    x0 = torch.rand(2, 3, 8, 8, dtype=torch.float64)
    custom = lambda x: ns["UpFirDn2d"].apply(x, k, (1, 1), (1, 1), (1, 1, 1, 1))  # noqa: E731
    plain = lambda x: F.conv2d(F.pad(x, (1, 1, 1, 1)).reshape(-1, 1, 10, 10), torch.flip(k, [0, 1]).view(1, 1, 3, 3)).view(2, 3, 8, 8)  # noqa: E731
    x1 = x0.clone().requires_grad_(True)
    err = gt.raises(lambda: penalty(custom, x1))
    if err is not None:
        return True, f"penalty through UpFirDn2d raised {err}"
    x2 = x0.clone().requires_grad_(True)
    ref = penalty(plain, x2)
    diff = (x1.grad - ref).abs().max().item()
    return diff > 1e-12, f"second-order gradient through UpFirDn2d vs F.conv2d: max difference {gt.fmt(diff)}"


gt.main()
