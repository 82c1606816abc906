import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pina-physics-informed-mixin-enable-grad"


class Solver:
    """A solver whose validation step takes the input derivative of its network (a PINN residual's u_x); PINA and
    Lightning are not installed."""

    def __init__(self):
        self.net = gt.mlp(1, 1)

    def validation_step(self, batch, batch_idx):
        x = batch.clone().requires_grad_(True)
        u = self.net(x)
        return torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})

    class Mixed(ns["PhysicsInformedMixin"], Solver):
        pass

    solver = Mixed()
    x = torch.rand(8, 1, dtype=torch.float64)
    with torch.no_grad():  # Trainer(inference_mode=False): the validation loop's grad mode
        u_x = solver.validation_step(x, 0)
    fd = gt.fd_gradient(lambda z: solver.net(torch.from_numpy(z)).detach().numpy(), x.numpy())
    err = gt.rel_err(u_x, fd)
    return err > 1e-6, f"u_x from the decorated validation step under no_grad vs finite differences: relative error {gt.fmt(err)}"


gt.main()
