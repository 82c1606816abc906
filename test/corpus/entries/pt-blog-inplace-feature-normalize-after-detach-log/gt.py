import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-blog-inplace-feature-normalize-after-detach-log"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    # The snippet's model definition, verbatim (everything before the CUDA/AMP training set-up, since this
    # machine has no GPU); one training step of the snippet's loop is then run on CPU at a small image size.
    with open(os.path.join(os.path.dirname(__file__), "snippet.py"), encoding="utf-8") as fh:
        text = fh.read()
    ns = {}
    exec(compile(text.split("net = Net().cuda()")[0], "snippet.py", "exec"), ns)
    net = ns["Net"]()
    x = torch.randn(8, 3, 16, 16)
    y = (torch.rand(8) > 0.5).float()
    loss = F.binary_cross_entropy_with_logits(net(x), y)
    err = gt.raises(loss.backward)
    return err is not None, f"loss.backward(): {err or 'no error'} (Net from the snippet, CPU, fp32, 16x16 images)"


gt.main()
