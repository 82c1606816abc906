import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-torchmd-net-test-trainer-inference-mode-off"


def step(model, pos, stage, derivative=True):
    """LNNP.step (torchmdnet/module.py): forces as -dE/dpos inside torch.set_grad_enabled(stage == 'train' or derivative).
    Trainer(inference_mode=False) runs the test loop under torch.no_grad(), applied around the step here."""
    with torch.set_grad_enabled(stage == "train" or derivative):
        pos = pos.clone().requires_grad_(True)
        energy = model(pos).sum()
        return -torch.autograd.grad(energy, pos)[0]


@gt.case(CASE)
def _():
    model = gt.mlp(3, 1)
    pos = torch.rand(6, 3, dtype=torch.float64)
    with torch.no_grad():
        forces = step(model, pos, "test")
    fd = -gt.fd_gradient(lambda z: model(torch.from_numpy(z)).detach().numpy(), pos.numpy())
    err = gt.rel_err(forces, fd)
    return err > 1e-6, f"forces under no_grad vs finite differences: relative error {gt.fmt(err)}"


gt.main()
