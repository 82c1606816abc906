import math
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


CASE = "pt-repo-semisupervised-vae-flow-logdet-batch-sum"


def log_standard_gaussian(x):
    return torch.sum(-0.5 * math.log(2 * math.pi) - x ** 2 / 2, dim=-1)


def log_gaussian(x, mu, log_var):
    """semi-supervised/inference/distributions.py of the repository."""
    log_pdf = - 0.5 * math.log(2 * math.pi) - log_var / 2 - (x - mu)**2 / (2 * torch.exp(log_var))
    return torch.sum(log_pdf, dim=-1)


@gt.case(CASE)
def _():
    # The quoted VariationalAutoencoder._kld with the repository's NormalizingFlows (workspace file) attached:
    # each sample's log q(z) should subtract its own flow log-determinant.
    inference, layers = types.ModuleType("inference"), types.ModuleType("layers")
    inference.log_gaussian, inference.log_standard_gaussian = log_gaussian, log_standard_gaussian
    layers.GaussianSample = layers.GaussianMerge = layers.GumbelSoftmax = object
    sys.modules.update({"inference": inference, "layers": layers})
    flow_ns = gt.exec_snippet(__file__, snippet=os.path.join("workspace", "semi-supervised", "layers", "flow.py"))
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    flow = flow_ns["NormalizingFlows"](4, n_flows=2).double()
    vae = types.SimpleNamespace(flow=flow)
    B = 8
    z, mu, log_var = (torch.randn(B, 4, dtype=torch.float64) for _ in range(3))
    kl = ns["VariationalAutoencoder"]._kld(vae, z, (mu, log_var))
    f_z, log_det = flow(z)
    kl_true = (log_gaussian(z, mu, log_var) - log_det) - log_standard_gaussian(f_z)
    err = float((kl - kl_true).abs().max())
    return err > 1e-8, (f"per-sample KL off by up to {err:.4g}; the quoted code subtracts the batch total of the "
                        f"log-determinants ({float(log_det.sum()):.4g}) from every sample instead of its own")


gt.main()
