"""Ground truth for pt-gh-jacobian-regularizer-grid-sample: the issue reports that loss.backward()
fails with 'derivative for aten::grid_sampler_2d_backward is not implemented' when this Jacobian
regularizer is used; the user's model is not shown, only that it contains grid_sample.
Reproduction: the snippet's JacobianReg (exact, n=-1) on a small classifier whose forward warps the
input with F.grid_sample (affine grid from a learned theta); loss = cross-entropy + lambda * R,
then loss.backward(). Control: the same classifier without the warp trains (gradients finite)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class Net(nn.Module):
    def __init__(self, warp):
        super().__init__()
        self.warp = warp
        self.theta = nn.Parameter(torch.tensor([[1.0, 0.1, 0.0], [0.0, 0.9, 0.1]]))
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 3)

    def forward(self, x):
        if self.warp:
            grid = F.affine_grid(self.theta.expand(x.shape[0], 2, 3), x.shape, align_corners=False)
            x = F.grid_sample(x, grid, align_corners=False)
        return self.fc(torch.tanh(self.conv(x)).flatten(1))


def step(ns, warp):
    torch.manual_seed(0)
    model = Net(warp)
    reg = ns["JacobianReg"](n=-1)
    x = torch.randn(4, 1, 8, 8, requires_grad=True)
    target = torch.tensor([0, 1, 2, 0])
    y = model(x)
    loss = F.cross_entropy(y, target) + 0.01 * reg(x, y)
    err = gt.raises(loss.backward)
    finite = all(p.grad is None or bool(torch.isfinite(p.grad).all()) for p in model.parameters())
    return err, finite


@gt.case("pt-gh-jacobian-regularizer-grid-sample")
def _():
    ns = gt.exec_snippet(__file__)
    err, _ = step(ns, True)
    control_err, control_finite = step(ns, False)
    return err is not None and "grid_sampler_2d_backward" in err, (
        f"with grid_sample: {err}; without: {control_err or 'backward ran'}, gradients finite {control_finite}")


gt.main()
