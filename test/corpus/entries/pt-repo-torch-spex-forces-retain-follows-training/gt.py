import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torch-spex-forces-retain-follows-training"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})
    compute_forces = ns["compute_forces"]
    net = gt.mlp(3, 1)
    params = list(net.parameters())
    R0 = torch.rand(6, 3, dtype=torch.float64)

    def loss_and_forces():
        R = R0.clone().requires_grad_(True)
        energy = net(R).sum()
        forces = compute_forces(energy, R, is_training=True)
        return (energy - 1.0) ** 2 + (forces ** 2).mean(), forces

    loss, forces = loss_and_forces()
    err = gt.raises(lambda: loss.backward())
    if err is not None:
        return True, f"energy + force loss backward raised {err}"
    got = [p.grad.clone() for p in params]
    v = [torch.randn_like(p) for p in params]
    h = 1e-6

    def at(s):
        with torch.no_grad():
            for p, d in zip(params, v):
                p.add_(s * h * d)
        val = float(loss_and_forces()[0])
        with torch.no_grad():
            for p, d in zip(params, v):
                p.sub_(s * h * d)
        return val
    fd = (at(1) - at(-1)) / (2 * h)
    ad = float(sum((a * d).sum() for a, d in zip(got, v)))
    rel = abs(ad - fd) / max(abs(fd), 1e-12)
    fdF = -gt.fd_gradient(lambda a: net(torch.from_numpy(a)).detach().numpy(), R0.numpy())
    errF = gt.rel_err(forces, fdF)
    return rel > 1e-5 or errF > 1e-6, (f"forces vs FD rel err {gt.fmt(errF)}; energy+force loss weight gradient along a random "
                                       f"direction {gt.fmt(ad)} vs FD {gt.fmt(fd)} (rel err {gt.fmt(rel)})")


gt.main()
