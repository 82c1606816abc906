import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-neurodiffeq-h1-semi-norm-squares-gradient-list"

# The snippet is neurodiffeq/losses.py; its relative import resolves to the package's operators.py, kept in workspace/.
_pkg = types.ModuleType("neurodiffeq")
_pkg.__path__ = [os.path.join(HERE, "workspace", "neurodiffeq")]
sys.modules["neurodiffeq"] = _pkg


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"__package__": "neurodiffeq"})
    net = gt.mlp(2, 1)
    x = torch.rand(32, 1, dtype=torch.float64, requires_grad=True)
    t = torch.rand(32, 1, dtype=torch.float64, requires_grad=True)
    u = net(torch.cat([x, t], dim=1))
    residual = u - torch.sin(x)  # a residual of the network, as a solver passes it
    # The H1 semi-norm of the residual: mean of the squared partial derivatives of the residual.
    r_x, r_t = torch.autograd.grad(residual, [x, t], torch.ones_like(residual), create_graph=True)
    expected = float(torch.cat([r_x, r_t], dim=1).pow(2).mean())
    out = {}
    err = gt.raises(lambda: out.setdefault("semi", ns["_h1_semi_norm"](residual, None, [x, t])))
    if err is not None:
        return True, f"_h1_semi_norm raises {err}"
    got = float(out["semi"])
    rel = abs(got - expected) / expected
    ok_graph = out["semi"].requires_grad
    return rel > 1e-9 or not ok_graph, f"_h1_semi_norm {gt.fmt(got)} vs mean squared partials {gt.fmt(expected)}; differentiable: {ok_graph}"


gt.main()
