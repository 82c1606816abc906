"""Ground truth for pt-gh-pytorch-vmap-jacrev-normalize-dim: the snippet runs as posted, with
torch.func provided by functorch (PyTorch 1.13 ships the same transforms as functorch.vmap /
functorch.jacrev; torch.func arrived in 2.0). Under vmap, f sees one sample of shape (2,), and
F.normalize's default dim=1 does not exist for it: the per-sample Jacobian fails. Control: the
same transform with dim=-1, whose divergence is checked against the analytic 1/|x|."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import functorch  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-vmap-jacrev-normalize-dim")
def _():
    shim = types.ModuleType("torch.func")
    shim.vmap, shim.jacrev = functorch.vmap, functorch.jacrev
    sys.modules["torch.func"] = shim
    torch.manual_seed(0)
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    t = torch.randn(3, 2, dtype=torch.float64)
    J = functorch.vmap(functorch.jacrev(lambda s: torch.nn.functional.normalize(s, dim=-1)))(t)
    div = J.diagonal(dim1=-2, dim2=-1).sum(-1)
    err_div = gt.rel_err(div, 1 / t.norm(dim=1))
    return err is not None, f"snippet: {err}; with dim=-1 the divergence matches 1/|x| to {gt.fmt(err_div)}"


gt.main()
