import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
sys.path.insert(0, os.path.join(HERE, "workspace"))  # flow_matching.solver.solver, flow_matching.utils
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-flow-matching-hutchinson-divergence-data-dim-probe"


def _euler_odeint(func, y0, t, method="euler", options=None, atol=None, rtol=None):
    """Stand-in for torchdiffeq.odeint (not installed here): fixed-step Euler over the time grid, tuple state."""
    step = (options or {}).get("step_size", None)
    ys = [y0]
    y = y0
    for a, b in zip(t[:-1], t[1:]):
        n = 1 if step is None else max(1, int(round(abs(float(b - a)) / step)))
        h = (b - a) / n
        for k in range(n):
            tk = a + k * h
            dy = func(tk, y)
            y = tuple(yi + h * di for yi, di in zip(y, dy))
        ys.append(y)
    return tuple(torch.stack([s[i] for s in ys]) for i in range(len(y0)))


sys.modules["torchdiffeq"] = types.SimpleNamespace(odeint=_euler_odeint)


class _Velocity(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = gt.mlp(3, 2, width=16, dtype=torch.float32)

    def forward(self, x, t):
        tt = torch.ones_like(x[:, :1]) * t
        return self.net(torch.cat([x, tt], dim=1))


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    class _Solver(ns["ODESolver"]):  # sample() is trimmed from the snippet; the base class declares it abstract
        def sample(self, x_0=None):
            raise NotImplementedError

    solver = _Solver(velocity_model=_Velocity())
    torch.manual_seed(0)
    x_1 = torch.randn(4, 2)
    log_p0 = lambda x: -0.5 * (x ** 2).sum(1)  # noqa: E731
    grid = torch.tensor([1.0, 0.0])
    _, exact = solver.compute_likelihood(x_1, log_p0, step_size=0.25, time_grid=grid, exact_divergence=True)
    draws = torch.stack([
        solver.compute_likelihood(x_1, log_p0, step_size=0.25, time_grid=grid)[1] for _ in range(600)
    ])
    mean = draws.mean(0)
    sem = draws.std(0) / draws.shape[0] ** 0.5
    z = ((mean - exact).abs() / sem).max()
    return bool(z > 5), (
        f"Hutchinson log-likelihood averaged over 600 probes vs exact divergence: max |diff|/s.e. {gt.fmt(float(z))}"
    )


gt.main()
