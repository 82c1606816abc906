import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-dstorch-jacobian-loops-over-batch"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), torch.nn.Tanh(), torch.nn.Conv2d(2, 1, 3, padding=1)).double()
    img = torch.rand(3, 1, 4, 4, dtype=torch.float64, requires_grad=True)
    jac = ns["calc_jacobian"](model, img)
    # per-sample Jacobian d out[b] / d img[b]: (B, 16, 16)
    ref = torch.stack([
        torch.autograd.functional.jacobian(lambda x: model(x).reshape(-1), img[b:b + 1].detach()).reshape(16, 16)
        for b in range(3)
    ])
    shape_ok = tuple(jac.shape) == tuple(ref.shape)
    # the entries it does return: jac[i, b] is d out[b, i] / d img[b, i], a diagonal entry of sample b's Jacobian
    diag_ok = all(abs(float(jac[i, b]) - float(ref[b, i, i])) < 1e-10 for i in range(3) for b in range(3))
    return not shape_ok, (
        f"calc_jacobian shape {tuple(jac.shape)} vs per-sample Jacobian {tuple(ref.shape)}; "
        f"its entries are diagonal entries dy_i/dx_i of the first {jac.shape[0]} outputs: {diag_ok}"
    )


gt.main()
