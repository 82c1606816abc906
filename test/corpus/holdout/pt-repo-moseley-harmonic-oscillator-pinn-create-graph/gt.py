import builtins, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, numpy as np, torch

CASE = "pt-repo-moseley-harmonic-oscillator-pinn-create-graph"


def oscillator(d, w0, x):
    # the notebook's exact solution
    w = np.sqrt(w0**2 - d**2)
    phi = np.arctan(-d / w)
    A = 1 / (2 * np.cos(phi))
    return torch.exp(-d * x) * 2 * A * torch.cos(phi + w * x)


@gt.case(CASE)
def _():
    d, w0 = 2, 20
    x = torch.linspace(0, 1, 500).view(-1, 1)
    y = oscillator(d, w0, x).view(-1, 1)
    x_data, y_data = x[0:200:20], y[0:200:20]
    losses = []
    real_backward = torch.Tensor.backward

    def backward(self, *a, **k):
        losses.append(float(self))
        return real_backward(self, *a, **k)

    torch.Tensor.backward = backward
    try:
        ns = gt.exec_snippet(__file__, {"torch": torch, "nn": torch.nn, "d": d, "w0": w0, "x_data": x_data,
                                        "y_data": y_data, "range": lambda n: builtins.range(min(n, 300))})
    finally:
        torch.Tensor.backward = real_backward
    model, xp = ns["model"], ns["x_physics"]
    # derivatives of the final network against central finite differences (float64 copy)
    m64 = ns["FCN"](1, 1, 32, 3).double()
    m64.load_state_dict({k_: v.double() for k_, v in model.state_dict().items()})
    xd = xp.detach().double().requires_grad_(True)
    u = m64(xd)
    du = torch.autograd.grad(u, xd, torch.ones_like(u), create_graph=True)[0]
    d2u = torch.autograd.grad(du, xd, torch.ones_like(du), create_graph=True)[0]
    h = 1e-4
    f = lambda z: m64(z).detach()
    fd1 = (f(xd.detach() + h) - f(xd.detach() - h)) / (2 * h)
    fd2 = (f(xd.detach() + h) - 2 * f(xd.detach()) + f(xd.detach() - h)) / h**2
    e1, e2 = gt.rel_err(du, fd1), gt.rel_err(d2u, fd2)
    # the physics loss reaches the weights
    res = d2u + 2 * d * du + w0**2 * u
    g = torch.autograd.grad((1e-4 * (res**2).mean()), list(m64.parameters()))
    gnorm = gt.norm_of(g)
    ok = e1 < 1e-5 and e2 < 1e-3 and gnorm > 0 and losses[-1] < losses[0]
    return not ok, (f"du/dx rel err {gt.fmt(e1)}, d2u/dx2 rel err {gt.fmt(e2)}; |d loss2/dw| {gt.fmt(gnorm)}; "
                    f"loss {gt.fmt(losses[0])} -> {gt.fmt(losses[-1])} over {len(losses)} steps")


gt.main()
