import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-modelforge-forces-create-graph"


@gt.case(CASE)
def _():
    torch.set_default_dtype(torch.float64)
    try:
        ns = gt.exec_snippet(__file__, {"torch": torch, "Dict": dict})
        atom_net = gt.mlp(3, 1)
        params = list(atom_net.parameters())
        x0 = torch.rand(5, 3)
        F_true = torch.rand(5, 3)

        def force_loss():
            positions = x0.clone().requires_grad_(True)
            energy = atom_net(positions).sum().reshape(1)
            batch = SimpleNamespace(nnp_input=SimpleNamespace(positions=positions), metadata=SimpleNamespace(F=F_true))
            out = ns["_get_forces"](None, batch, {"per_molecule_energy_predict": energy})
            return ((out["per_atom_force_predict"].double() - F_true) ** 2).mean(), out["per_atom_force_predict"]

        loss, F_pred = force_loss()
        g = torch.autograd.grad(loss, params, allow_unused=True)
        g = [torch.zeros_like(p) if a is None else a for p, a in zip(params, g)]
        v = [torch.randn_like(p) for p in params]
        h = 1e-5

        def at(s):
            with torch.no_grad():
                for p, d in zip(params, v):
                    p.add_(s * h * d)
            val = float(force_loss()[0])
            with torch.no_grad():
                for p, d in zip(params, v):
                    p.sub_(s * h * d)
            return val
        fd = (at(1) - at(-1)) / (2 * h)
        ad = float(sum((a * d).sum() for a, d in zip(g, v)))
        rel = abs(ad - fd) / max(abs(fd), 1e-12)
        fdF = -gt.fd_gradient(lambda a: atom_net(torch.from_numpy(a)).detach().numpy(), x0.numpy())
        errF = gt.rel_err(F_pred, fdF)
    finally:
        torch.set_default_dtype(torch.float32)
    # the snippet casts the true forces to float32; the prediction stays in the model's dtype
    return rel > 1e-4 or errF > 1e-6, (f"forces vs FD rel err {gt.fmt(errF)}; force loss's weight gradient along a random "
                                       f"direction {gt.fmt(ad)} vs FD {gt.fmt(fd)} (rel err {gt.fmt(rel)})")


gt.main()
