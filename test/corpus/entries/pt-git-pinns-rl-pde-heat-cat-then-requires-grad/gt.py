import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-pinns-rl-pde-heat-cat-then-requires-grad"


@gt.case(CASE)
def _():
    src = open(os.path.join(os.path.dirname(__file__), "snippet.py")).read()
    src = src.replace("from .pde_base import PDEBase, PDEConfig", "")  # the package's base class, stubbed below

    class PDEBase:
        dimension = 1
        alpha = 0.01

    ns = {"PDEBase": PDEBase}
    exec(compile(src, "snippet.py", "exec"), ns)
    # generate_collocation_points of the repository's pde_base.py: linspace columns, no requires_grad
    x = torch.linspace(0, 1, 16).reshape(-1, 1)
    t = torch.linspace(0, 1, 16).reshape(-1, 1)
    err = gt.raises(lambda: ns["HeatEquation"]().compute_residual(gt.mlp(2, 1).float(), x, t))
    return err is not None and "require grad" in err, f"compute_residual raised {err}"


gt.main()
