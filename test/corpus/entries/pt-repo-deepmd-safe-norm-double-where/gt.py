import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def _hessian_nan(f, x):
    x = x.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return bool(torch.isnan(g).any() or torch.isnan(h).any())


@gt.case("pt-repo-deepmd-safe-norm-double-where")
def _():
    ns = gt.exec_snippet(__file__, {})
    vecs = torch.tensor([[0.0, 0.0, 0.0], [0.3, -1.2, 0.5]], dtype=torch.float64)  # a zero vector (padding, a self pair)
    bad_norm = _hessian_nan(lambda v: ns["safe_for_norm"](v, dim=-1), vecs)
    bad_sqrt = _hessian_nan(lambda v: ns["safe_for_sqrt"]((v * v).sum(-1)), vecs)
    plain = _hessian_nan(lambda v: torch.linalg.vector_norm(v, dim=-1), vecs)
    return bad_norm or bad_sqrt, f"NaN in derivatives: safe_for_norm {bad_norm}, safe_for_sqrt {bad_sqrt}; plain vector_norm {plain}"


gt.main()
