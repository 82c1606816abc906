import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torchdiffeq-cnf-trace-set-grad-enabled"


class HyperNetwork(torch.nn.Module):
    """The example's hypernetwork (W, B, U of the CNF as functions of t), small and in float64."""

    def __init__(self, in_out_dim, hidden_dim, width):
        super().__init__()
        self.fc = torch.nn.Linear(1, 3 * width * in_out_dim, dtype=torch.float64)
        self.width, self.d = width, in_out_dim

    def forward(self, t):
        p = self.fc(t.reshape(1, 1)).reshape(3, self.width, self.d)
        return p[0].reshape(self.width, self.d, 1), p[1][:, :1].reshape(self.width, 1, 1), p[2].reshape(self.width, 1, self.d)


@gt.case(CASE)
def _():
    # torchdiffeq is not installed and the script reads argv: the snippet's CNF and trace run as written, with the
    # odeint import and the script body left out; the right-hand side is evaluated under torch.no_grad(), as odeint
    # (and odeint_adjoint's forward solve) call it in the visualisation block.
    src = open(os.path.join(os.path.dirname(__file__), "snippet.py")).read()
    start, end = src.index("class CNF"), src.index("if __name__")
    ns = {"torch": torch, "nn": torch.nn, "HyperNetwork": HyperNetwork}
    exec(compile(src[start:end], "snippet.py", "exec"), ns)
    torch.manual_seed(0)
    func = ns["CNF"](in_out_dim=2, hidden_dim=4, width=3)
    z = torch.rand(5, 2, dtype=torch.float64)
    t = torch.tensor(0.5, dtype=torch.float64)
    with torch.no_grad():
        dz, dlogp = func(t, (z.clone(), torch.zeros(5, 1, dtype=torch.float64)))
    h = 1e-6
    tr = np.zeros(5)
    for i in range(2):
        e = torch.zeros_like(z)
        e[:, i] = h
        with torch.no_grad():
            fp = func(t, (z + e, torch.zeros(5, 1, dtype=torch.float64)))[0][:, i]
            fm = func(t, (z - e, torch.zeros(5, 1, dtype=torch.float64)))[0][:, i]
        tr += ((fp - fm) / (2 * h)).detach().numpy()
    err = gt.rel_err(-dlogp.reshape(-1).detach(), tr)
    return err > 1e-5, f"trace from autograd under no_grad vs finite differences: relative error {gt.fmt(err)}"


gt.main()
