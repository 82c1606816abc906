import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-nequip-lightning-forward-enable-grad"


def forward(model, pos):
    """The module's forward (torch.enable_grad() around the model) with a force model standing in for NequIP's: the
    energy's derivative with respect to the positions (nequip is not installed)."""
    with torch.enable_grad():
        pos = pos.clone().requires_grad_(True)
        energy = model(pos).sum()
        return -torch.autograd.grad(energy, pos)[0]


@gt.case(CASE)
def _():
    model = gt.mlp(3, 1)
    pos = torch.rand(5, 3, dtype=torch.float64)
    with torch.no_grad():  # Trainer(inference_mode=False): the validation loop's grad mode
        forces = forward(model, pos)
    fd = -gt.fd_gradient(lambda z: model(torch.from_numpy(z)).detach().numpy(), pos.numpy())
    err = gt.rel_err(forces, fd)
    return err > 1e-6, f"forces in the validation step's grad mode vs finite differences: relative error {gt.fmt(err)}"


gt.main()
