import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-pytorchflows-made-inverse-logdet-sign"


@gt.case(CASE)
def _():
    # The quoted MADE, run in both modes. The true log|det dx/du| of the inverse is minus the log-determinant of
    # the direct map's Jacobian du/dx at the returned x (autograd Jacobian of the direct mode, which has no
    # in-place writes), compared with what mode='inverse' returns.
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__)
    made = ns["MADE"](3, 16, act="tanh").double()
    with torch.no_grad():
        for p in made.parameters():
            p.mul_(3.0)  # make the scales a = log sigma clearly non-zero
    u = torch.randn(1, 3, dtype=torch.float64)
    with torch.no_grad():
        x, logdet_inverse = made(u, mode="inverse")
        u_back, logdet_direct = made(x, mode="direct")
    J = torch.autograd.functional.jacobian(lambda z: made(z, mode="direct")[0], x)[0, :, 0, :]
    true_direct = torch.linalg.slogdet(J)[1]
    true_inverse = -true_direct
    err_inv = abs(float(logdet_inverse) - float(true_inverse))
    err_dir = abs(float(logdet_direct) - float(true_direct))
    return err_inv > 1e-6, (f"inverse reconstruction error {float((u_back - u).abs().max()):.2g}; direct log-det "
                            f"{float(logdet_direct):.4f} vs autograd {float(true_direct):.4f}; inverse log-det returned "
                            f"{float(logdet_inverse):.4f} vs true {float(true_inverse):.4f}")


gt.main()
