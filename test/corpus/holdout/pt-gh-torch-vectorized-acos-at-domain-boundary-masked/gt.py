import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-torch-vectorized-acos-at-domain-boundary-masked"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    # A voxel holding a rank-one symmetric matrix v v^T, v = (1, 1, 1) (eigenvalues 3, 0, 0, off-diagonals non-zero):
    # r = 1 exactly, the case the code handles by overwriting phi with 0 after the acos.
    v = torch.ones(3, 1, dtype=torch.float64)
    inputs = (v @ v.T).reshape(1, 9, 1, 1, 1).clone().requires_grad_(True)
    eig = ns["_compute_eigenvalues"](inputs)
    eig[:, 0].sum().backward()  # largest eigenvalue: d lambda_max / dM = u u^T, finite (1/3 everywhere)
    g = inputs.grad.reshape(3, 3)
    finite = bool(torch.isfinite(g).all())
    return not finite, (f"eigenvalues {eig.flatten().tolist()} (exact 3, 0, 0); gradient of the largest finite: {finite}; "
                        f"gradient {g.flatten().tolist()}")


gt.main()
