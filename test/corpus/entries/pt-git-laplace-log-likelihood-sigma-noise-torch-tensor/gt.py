import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-laplace-log-likelihood-sigma-noise-torch-tensor"


def log_likelihood_at(cls, sigma, loss):
    """The quoted log_likelihood property of a fitted regression Laplace approximation (as the class sets it up
    after fit: n_data, n_outputs, the summed half-MSE loss, temperature 1), at observation noise ``sigma``."""
    la = object.__new__(cls)
    la.likelihood, la.n_data, la.n_outputs, la.temperature, la.loss = "regression", 50, 1, 1.0, loss
    la.sigma_noise = sigma
    return la.log_likelihood


@gt.case(CASE)
def _():
    cls = gt.exec_snippet(__file__)["BaseLaplace"]
    loss = torch.tensor(3.7, dtype=torch.float64)
    sigma = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)  # optimized by iterative updates
    (autograd,) = torch.autograd.grad(log_likelihood_at(cls, sigma, loss), sigma)
    h = 1e-6
    with torch.no_grad():
        fd = (log_likelihood_at(cls, sigma + h, loss) - log_likelihood_at(cls, sigma - h, loss)) / (2 * h)
    err = gt.rel_err(autograd, fd)
    return err > 1e-4, f"d log_likelihood / d sigma_noise: autograd {gt.fmt(float(autograd))}, finite differences {gt.fmt(float(fd))} (rel err {gt.fmt(err)})"


gt.main()
