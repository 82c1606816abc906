"""Ground truth for pt-gh-torch-ngp-eikonal-once-differentiable-encoder: the issue quotes the eikonal loss only;
the SDF went through torch-ngp's hash-grid encoder, a custom autograd Function (a CUDA kernel) whose backward was
marked @once_differentiable. Reproduction: a small SDF network whose encoder is such a Function (a sine feature
map with a hand-written backward under @once_differentiable), the snippet's two lines, then the loss's backward.
Control: the same encoder written with differentiable torch operations."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch.autograd.function import once_differentiable  # noqa: E402


class Encode(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, freqs):
        ctx.save_for_backward(x, freqs)
        return torch.sin(x @ freqs)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad):
        x, freqs = ctx.saved_tensors
        local = grad * torch.cos(x @ freqs)
        return local @ freqs.t(), x.t() @ local


class SDF(nn.Module):
    def __init__(self, custom):
        super().__init__()
        self.custom = custom
        self.freqs = nn.Parameter(torch.randn(3, 16))
        self.mlp = nn.Sequential(nn.Linear(16, 32), nn.Softplus(), nn.Linear(32, 1))

    def forward(self, xyz):
        feats = Encode.apply(xyz, self.freqs) if self.custom else torch.sin(xyz @ self.freqs)
        return self.mlp(feats)


def run(custom):
    torch.manual_seed(0)
    net = SDF(custom)
    xyz = torch.rand(64, 3, requires_grad=True)
    sdf = net(xyz)
    ns = gt.exec_snippet(__file__, {"torch": torch, "sdf": sdf, "xyz": xyz, "grad_outputs": torch.ones_like(sdf)})
    train_loss = ns["loss"].mean()
    return gt.raises(lambda: train_loss.backward())


@gt.case("pt-gh-torch-ngp-eikonal-once-differentiable-encoder")
def _():
    err = run(True)
    control = run(False)
    return err is not None and "once_differentiable" in err, f"with the @once_differentiable encoder: {err}; smooth encoder: {control or 'backward ran'}"


gt.main()
