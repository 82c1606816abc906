import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-mlcm-deformation-gradient-ones-sum"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.random.manual_seed(1)  # the file's own test, in float64
    m = ns["HyperelasticMaterial"]()
    X = torch.rand((10, 10, 2), dtype=torch.float64, requires_grad=True)
    m.set_body_configuration(X)
    m.deform(torch.square)
    # Right Cauchy-Green tensor of material point (0, 0) for x = X**2: F = diag(2 X1, 2 X2), C = F^T F.
    F00 = torch.autograd.functional.jacobian(lambda p: torch.square(p), X[0, 0].detach())
    C00 = F00.T @ F00
    err = gt.rel_err(m.C[0], C00)
    return err > 1e-6, f"C shape {tuple(m.C.shape)}; C[0] vs C of point (0,0): rel err {gt.fmt(err)}"


gt.main()
