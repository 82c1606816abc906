import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-captum-saliency-mass-center-grad"


def captum_saliency(model, inputs, target):
    # Captum is not installed here: Saliency.attribute as captum/attr/_core/saliency.py computes it, with
    # captum/_utils/gradient.py's compute_gradients (forward under set_grad_enabled(True), then
    # torch.autograd.grad of the target outputs without create_graph), then the absolute value.
    with torch.autograd.set_grad_enabled(True):
        outputs = model(inputs)[:, target]
        grads = torch.autograd.grad(torch.unbind(outputs), inputs)
    return torch.abs(grads[0])


@gt.case(CASE)
def _():
    # Reproduction of the quoted lines (the snippet calls `Grad.attribution` and reads an undefined
    # `attribution`, so it cannot run as quoted): a small classifier of 50x50 images.
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(2500, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3)).double()
    sample = torch.rand(1, 50, 50, dtype=torch.float64).requires_grad_(True)
    attributions = captum_saliency(model, sample, 1)
    min_attr = torch.min(attributions)
    max_attr = torch.max(attributions)
    attributions = (attributions - min_attr) / (max_attr - min_attr)
    y_mesh, x_mesh = torch.meshgrid(torch.arange(50, dtype=torch.float64), torch.arange(50, dtype=torch.float64))
    mass_center = torch.stack([torch.sum(attributions * x_mesh) / (50 * 50), torch.sum(attributions * y_mesh) / (50 * 50)])
    mass_center0 = torch.tensor([10.0, 20.0], dtype=torch.float64)
    mass_center_loss = -torch.sum((mass_center - mass_center0) ** 2)
    err = gt.raises(lambda: torch.autograd.grad(mass_center_loss, sample))
    return err is not None and ("not have been used in the graph" in err or "does not require grad" in err), f"attributions.grad_fn is None: {attributions.grad_fn is None}; grad raised {err}"


gt.main()
