import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
from torch import nn
from torch.distributions import MultivariateNormal


class CovarianceMatrix(nn.Module):
    """Stand-in for deepdow's CovarianceMatrix layer: sample covariance of (n_samples, n_draws, n_assets)."""
    def __init__(self, sqrt=False):
        super().__init__()

    def forward(self, x):
        xc = x - x.mean(dim=1, keepdim=True)
        return xc.transpose(1, 2) @ xc / (x.shape[1] - 1)


class AnalyticalMarkowitz(nn.Module):
    """Stand-in allocator, differentiable in its inputs (weights from returns and variances)."""
    def forward(self, covmat, rets=None):
        score = rets / torch.diagonal(covmat, dim1=1, dim2=2)
        return torch.softmax(score, dim=1)


class NCO(nn.Module):
    pass


class NumericalMarkowitz(nn.Module):
    pass


@gt.case("pt-git-deepdow-resample-sample-cuts-graph")
def _():
    names = {"nn": nn, "torch": torch, "MultivariateNormal": MultivariateNormal, "CovarianceMatrix": CovarianceMatrix,
             "AnalyticalMarkowitz": AnalyticalMarkowitz, "NCO": NCO, "NumericalMarkowitz": NumericalMarkowitz}
    ns = gt.exec_snippet(__file__, names)
    n_samples, n_assets = 2, 3
    single_ = torch.rand(n_assets, n_assets, dtype=torch.float64)
    covmat = torch.stack([single_ @ single_.t() + torch.eye(n_assets, dtype=torch.float64)] * n_samples)
    rets = torch.rand(n_samples, n_assets, dtype=torch.float64, requires_grad=True)
    layer = ns["Resample"](AnalyticalMarkowitz(), n_draws=50, random_state=0)
    weights = layer(covmat, rets=rets)
    err = gt.raises(lambda: weights.sum().backward())
    # The same layer with rsample (the fix): the weights depend on rets.
    d = MultivariateNormal(loc=rets, covariance_matrix=covmat)
    w2 = AnalyticalMarkowitz()(CovarianceMatrix()(d.rsample((50,)).permute(1, 0, 2)), d.rsample((50,)).mean(0))
    g2 = torch.autograd.grad(w2[:, 0].sum(), rets)[0]
    return bool(rets.grad is None and g2.abs().max().item() > 0), (
        f"weights.requires_grad={weights.requires_grad}; backward: {err}; rets.grad={rets.grad}; "
        f"with rsample |d w/d rets| = {g2.abs().max():.3g}")


gt.main()
