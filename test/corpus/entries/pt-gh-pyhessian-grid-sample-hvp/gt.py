"""Ground truth for pt-gh-pyhessian-grid-sample-hvp: the issue quotes PyHessian's Hessian-vector product
line; the model in which it fails is not shown, only that it uses grid_sample (a spatial-transformer
style layer). Reproduction: a small network whose forward warps its input with F.grid_sample (grid
from a learned affine transform), gradsH = grad(loss, params, create_graph=True) as PyHessian does,
and v random; then the snippet's line runs. Control: the same network without the grid_sample."""
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


def run(warp):
    torch.manual_seed(0)
    model = Net(warp)
    x, y = torch.randn(4, 1, 8, 8), torch.tensor([0, 1, 2, 0])
    params = [p for n, p in model.named_parameters() if warp or n != "theta"]
    loss = F.cross_entropy(model(x), y)
    gradsH = torch.autograd.grad(loss, params, create_graph=True)
    v = [torch.randn_like(p) for p in params]
    return gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch, "gradsH": gradsH, "params": params, "v": v}))


@gt.case("pt-gh-pyhessian-grid-sample-hvp")
def _():
    err = run(True)
    control = run(False)
    return err is not None and "grid_sampler_2d_backward" in err, f"with grid_sample: {err}; without: {control or 'Hv computed'}"


gt.main()
