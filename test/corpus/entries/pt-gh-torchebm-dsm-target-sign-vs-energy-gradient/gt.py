import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-torchebm-dsm-target-sign-vs-energy-gradient"


class BaseScoreMatching(torch.nn.Module):
    """Stand-in for torchebm.core.BaseScoreMatching: compute_score and perturb_data as in base_loss.py
    (score = d E / d x by autograd with create_graph=True; x + sigma * N(0, 1))."""

    def __init__(self, model, noise_scale):
        super().__init__()
        self.model, self.noise_scale = model, noise_scale

    def _resolve_model_kwargs(self, model_kwargs, kwargs, warn_key=None):
        return model_kwargs or {}

    def perturb_data(self, x, generator=None):
        noise = torch.randn(x.shape, dtype=x.dtype, generator=generator) * self.noise_scale
        return x + noise, noise

    def compute_score(self, x, noise=None, model_kwargs=None):
        x_perturbed = x if noise is None else x + noise
        if not x_perturbed.requires_grad:
            x_perturbed.requires_grad_(True)
        energy = self.model(x_perturbed, **(model_kwargs or {}))
        return torch.autograd.grad(energy.sum(), x_perturbed, create_graph=True)[0]


class Quadratic(torch.nn.Module):
    """E(x) = a/2 |x|^2, starting at a = 0; on N(0, I) data training must make a positive."""

    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.zeros((), dtype=torch.float64))

    def forward(self, x):
        return 0.5 * self.a * (x ** 2).sum(-1)


@gt.case(CASE)
def _():
    core = types.ModuleType("torchebm.core")
    core.BaseModel, core.BaseScoreMatching = torch.nn.Module, BaseScoreMatching
    func = types.ModuleType("torch.func")  # PyTorch 1.13 has no torch.func; the loss does not use it
    func.grad = func.vmap = func.jacrev = None
    sys.modules.update({"torchebm": types.ModuleType("torchebm"), "torchebm.core": core, "torch.func": func})
    ns = gt.exec_snippet(__file__, {})
    model = Quadratic()
    loss_fn = ns["DenoisingScoreMatching"](model, noise_scale=0.5)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(4096, 2, dtype=torch.float64, generator=g)
    loss = loss_fn.compute_loss(x, generator=g)
    (da,) = torch.autograd.grad(loss, model.a)
    # gradient descent moves a by -lr * da: a positive da drives a below 0, an energy that is highest at the data
    return float(da) > 0, f"d loss / d a at a = 0: {float(da):+.4f} (must be negative for E to fall at the data)"


gt.main()
