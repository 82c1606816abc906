import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torchdynamics-jacobian-eye-backward"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(0)
    lin = torch.nn.Linear(5, 5)
    net = lambda h: torch.tanh(lin(h))  # noqa: E731
    h = torch.randn(1, 5)
    J = ns["compute_jacobians"](net, h, 5)
    ref = torch.autograd.functional.jacobian(net, h.squeeze())
    err = gt.rel_err(J, ref)
    torch.set_default_dtype(torch.float32)
    return err > 1e-10, f"rel err vs autograd.functional.jacobian {gt.fmt(err)}"


gt.main()
