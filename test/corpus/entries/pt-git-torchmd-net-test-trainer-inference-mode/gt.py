import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-torchmd-net-test-trainer-inference-mode"


def step(model, pos, stage, derivative=True):
    """LNNP.step as at the commit's parent (torchmdnet/module.py): the forces are -dE/dpos, computed inside
    torch.set_grad_enabled(stage == 'train' or derivative). Lightning and the data set are not installed: the test loop's
    grad mode is applied around the step (Trainer() runs tests under torch.inference_mode())."""
    with torch.set_grad_enabled(stage == "train" or derivative):
        pos = pos.clone().requires_grad_(True)
        energy = model(pos).sum()
        return -torch.autograd.grad(energy, pos)[0]


@gt.case(CASE)
def _():
    model = gt.mlp(3, 1)
    pos = torch.rand(6, 3, dtype=torch.float64)
    with torch.inference_mode():
        err = gt.raises(lambda: step(model, pos, "test"))
    return err is not None, f"the test step under the default Trainer's inference mode raised {err}"


gt.main()
