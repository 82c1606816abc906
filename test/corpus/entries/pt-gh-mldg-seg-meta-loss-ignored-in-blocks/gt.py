"""Ground truth for pt-gh-mldg-seg-meta-loss-ignored-in-blocks: the snippet (ops.py's meta-aware conv3d
and the meta-learning 3D U-Net) runs on the CPU: its text with '.cuda()' removed (no GPU here), the
network built with n=2, dropout=0 and a 16^3 volume. MLDG's meta-test pass hands the meta-train loss
to Unet3D.forward, which stores it on the top-level module only; every ConvD/ConvU block keeps the
meta_loss=None it was built with, so its convolutions never use the adapted weights. Measured with
forward hooks: the encoder's output is bit-identical with and without the meta-train loss, the
final convolution's output is not; and the meta-test loss has no second-order path into convd1."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


@gt.case("pt-gh-mldg-seg-meta-loss-ignored-in-blocks")
def _():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    ns = {}
    exec(compile(open(path, encoding="utf-8").read().replace(".cuda()", ""), path, "exec"), ns)
    torch.manual_seed(0)
    net = ns["Unet3D"](c=1, n=2, dropout=0.0, norm="gn", num_classes=2)
    x = torch.randn(1, 1, 16, 16, 16)
    target = torch.randint(0, 2, (1, 16, 16, 16))
    logits, _ = net(x, None, 0.01, False)
    meta_train_loss = F.cross_entropy(logits, target)

    seen = {}
    hook = net.convd5.register_forward_hook(lambda m, i, o: seen.__setitem__("enc", o.detach().clone()))
    plain, _ = net(x, None, 0.01, False)
    enc_plain = seen["enc"]
    adapted, _ = net(x, meta_train_loss, 0.01, False)
    enc_adapted = seen["enc"]
    hook.remove()
    enc_diff = float((enc_plain - enc_adapted).abs().max())
    out_diff = float((plain - adapted).abs().max())

    # the meta-test loss with and without the meta-train loss: same gradient on the first block
    g_meta = torch.autograd.grad(F.cross_entropy(adapted, target), net.convd1.conv1.weight, retain_graph=True)[0]
    g_plain = torch.autograd.grad(F.cross_entropy(net(x, None, 0.01, False)[0], target), net.convd1.conv1.weight)[0]
    seg_only = float((g_meta - g_plain).abs().max() / g_plain.abs().max())
    return enc_diff == 0.0 and out_diff > 0, (
        f"encoder output change with the meta-train loss passed: {gt.fmt(enc_diff)}; final output change: {gt.fmt(out_diff)}; "
        f"relative change of convd1's meta-test gradient {gt.fmt(seg_only)} (only via the last layer)")


gt.main()
