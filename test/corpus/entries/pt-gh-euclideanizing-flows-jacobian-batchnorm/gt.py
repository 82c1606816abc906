"""Ground truth for pt-gh-euclideanizing-flows-jacobian-batchnorm: the snippet runs as posted (seeded).
Its network has BatchNorm1d layers in training mode. Method 1 differentiates the batch of 4 with
column selectors; method 2 repeats every sample n times and differentiates the repeated batch with
identity rows. With batch statistics, both results mix in the other samples, and the repeated
batch has different statistics, so the two 'Jacobians' disagree. The same two methods run with the
network in eval mode (running statistics, per-sample) are the control, as is the per-sample
Jacobian from torch.autograd.functional.jacobian on each sample alone in eval mode."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def methods(net, x, n):
    b = x.shape[0]
    x1 = x.detach().clone().requires_grad_(True)
    z1 = x1
    for m in net:
        z1 = m(z1)
    J1 = torch.stack([torch.autograd.grad(z1[:, i].sum(), x1, retain_graph=True)[0] for i in range(n)], 1)
    x2 = x.detach().repeat(1, n).view(-1, n).requires_grad_(True)
    z2 = x2
    for m in net:
        z2 = m(z2)
    J2 = torch.autograd.grad(z2, x2, torch.eye(n).repeat(b, 1))[0].reshape(b, n, n)
    return J1, J2


@gt.case("pt-gh-euclideanizing-flows-jacobian-batchnorm")
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    J1, J2 = ns["J1"].detach(), ns["J2"].detach()
    disagree = gt.rel_err(J1, J2)
    net, x = ns["rnvpNet"], ns["x"]
    for m in net:
        m.eval()
    E1, E2 = methods(net, x, 2)

    def f(v):
        z = v.unsqueeze(0)
        for m in net:
            z = m(z)
        return z[0]

    per = torch.stack([torch.autograd.functional.jacobian(f, x[i].detach()) for i in range(4)])
    eval_err = max(gt.rel_err(E1, per), gt.rel_err(E2, per))
    return disagree > 1e-3, f"train mode: method 1 vs method 2 rel diff {gt.fmt(disagree)}; eval mode: both vs per-sample Jacobian {gt.fmt(eval_err)}"


gt.main()
