import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-second-derivative-sigmoid-net-sums-mixed-partials"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"print": lambda *a, **k: None})
    net, X = ns["net"], ns["X"].detach()
    got = ns["d2y"]
    # The second derivatives the asker expected: for each entry X[i, j], d^2 (sum_k y[i, k]) / d X[i, j]^2,
    # i.e. the diagonal of each row's Hessian, not the row sums of the Hessian that grad(dy, X, ones) returns.
    diag = torch.zeros_like(X)
    for i in range(X.shape[0]):
        H = torch.autograd.functional.hessian(lambda r: net(r.unsqueeze(0)).sum(), X[i])
        diag[i] = torch.diagonal(H)
    err = gt.rel_err(got, diag)
    return err > 1e-3, (f"grad(dy, X, ones) = {got.tolist()}, per-entry d2/dx2 = "
                        f"{[[round(v, 4) for v in r] for r in diag.tolist()]}, rel err {err:.2f}")


gt.main()
