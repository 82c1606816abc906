"""Behaviour check for torchdiffeq (rtqichen/torchdiffeq).

1. The repository's own tests in tests/gradient_tests.py (the file that draws a warning, so the file
   that safe fixes change), one case per test: its outcome.
2. Gradients through `odeint` and `odeint_adjoint` of a small seeded neural ODE with respect to the
   initial state, the time points and the parameters. The result is the gradients themselves.
"""
import os

import torch
import torch.nn as nn

from common import run_cases, run_unittests, seed_all

import torchdiffeq  # from PYTHONPATH: the original or the fixed copy


class Func(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))

    def forward(self, t, y):
        return self.net(y)


def ode_case(adjoint, method):
    def run():
        seed_all(0)
        func = Func().double()
        y0 = torch.tensor([[1.0, -0.5]], dtype=torch.float64, requires_grad=True)
        t = torch.linspace(0.0, 1.0, 5, dtype=torch.float64, requires_grad=True)
        solve = torchdiffeq.odeint_adjoint if adjoint else torchdiffeq.odeint
        ys = solve(func, y0, t, method=method)
        ys.pow(2).sum().backward()
        return {"ys": ys.detach(), "dy0": y0.grad, "dt": t.grad, "dparams": [p.grad for p in func.parameters()]}

    return run


src = os.environ.get("AGL_BEHAVIOUR_SRC", ".")
cases = run_unittests(["gradient_tests"], extra_path=os.path.join(src, "tests"))
for adjoint in (False, True):
    for method in ("dopri5", "rk4"):
        cases.append((f"odeint:adjoint={adjoint}:{method}", ode_case(adjoint, method)))
run_cases(cases)
