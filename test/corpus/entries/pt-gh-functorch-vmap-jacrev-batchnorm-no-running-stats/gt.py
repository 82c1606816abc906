"""Ground truth for pt-gh-functorch-vmap-jacrev-batchnorm-no-running-stats: the snippet runs as posted
(functorch, PyTorch 1.13) and fails: under vmap each sample reaches BatchNorm2d without a batch axis.
The asker expects inference-time BatchNorm to be per-sample, but with track_running_stats=False it
always normalizes with the statistics of the current batch, even after .eval(): measured on the
snippet's layers, the output of sample 0 depends on sample 1 (cross-sample Jacobian), so the
per-sample Jacobian the asker wants is not that of the batched model."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-functorch-vmap-jacrev-batchnorm-no-running-stats")
def _():
    torch.manual_seed(0)
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    torch.manual_seed(0)
    source = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py"), encoding="utf-8").read()
    ns = {}
    exec(compile(source.rsplit("j = vmap", 1)[0], "snippet.py", "exec"), ns)
    layers, x = ns["layers"].eval(), ns["x"]
    x = x.clone().requires_grad_(True)
    out0 = layers(x)[0].sum()
    g = torch.autograd.grad(out0, x)[0]
    cross = float(g[1].norm() / g[0].norm())
    return err is not None, f"snippet: {err}; in eval mode, |d out_0 / d x_1| / |d out_0 / d x_0| = {gt.fmt(cross)}"


gt.main()
