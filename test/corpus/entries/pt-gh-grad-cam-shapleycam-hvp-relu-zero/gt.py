import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


@gt.case("pt-gh-grad-cam-shapleycam-hvp-relu-zero")
def _():
    # The snippet's model runs as quoted; the library's hooks are replaced by taking the target layer's
    # (the convolution's) activations directly, then grads with create_graph=True as ShapleyCAM.forward
    # does, then the quoted product.
    torch.manual_seed(0)
    src = open(os.path.join(os.path.dirname(__file__), "snippet.py")).read().split("\n\nhvp =")[0]
    scope = {"nn": nn, "torch": torch}
    exec(compile(src, "snippet.py", "exec"), scope)  # noqa: S102 - the model class as quoted
    m = scope["M"]().double().eval()
    x = torch.randn(2, 3, 16, 16, dtype=torch.float64)
    activations = m.conv(x)
    out = m.fc(m.pool(torch.relu(activations)).flatten(1))
    loss = out[:, 3].sum()
    grads = torch.autograd.grad(loss, activations, retain_graph=True, create_graph=True)[0]
    hvp = torch.autograd.grad(outputs=grads, inputs=activations, grad_outputs=activations,
                              retain_graph=False, allow_unused=True)[0]
    zero = hvp is None or bool(torch.all(hvp == 0))
    return zero and bool(grads.abs().sum() > 0), f"grads nonzero: {bool(grads.abs().sum() > 0)}; hvp is {'None' if hvp is None else 'all zero' if zero else 'nonzero'}"


gt.main()
