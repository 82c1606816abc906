import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


class Affine(torch.nn.Module):
    """An elementwise affine flow layer with normflows' convention: forward/inverse return (output, log|det J|)."""

    def __init__(self, d, seed):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.s = torch.nn.Parameter(torch.randn(d, generator=g, dtype=torch.float64))
        self.t = torch.nn.Parameter(torch.randn(d, generator=g, dtype=torch.float64))

    def forward(self, z):
        return z * torch.exp(self.s) + self.t, self.s.sum().expand(len(z))

    def inverse(self, x):
        return (x - self.t) * torch.exp(-self.s), -self.s.sum().expand(len(x))


@gt.case("pt-git-normflows-forward-log-det-added")
def _():
    ns = gt.exec_snippet(__file__)
    flow = ns["NormalizingFlow"](q0=None, flows=[Affine(3, 1), Affine(3, 2)])
    z = torch.randn(5, 3, dtype=torch.float64)
    _, log_det = flow.forward_and_log_det(z)
    want = torch.stack([torch.linalg.slogdet(torch.autograd.functional.jacobian(lambda v: flow.forward(v[None])[0], zi))[1]
                        for zi in z])
    err = gt.rel_err(log_det, want)
    return err > 1e-8, f"forward log-det {gt.fmt(float(log_det[0]))} against log|det J| {gt.fmt(float(want[0]))}"


gt.main()
