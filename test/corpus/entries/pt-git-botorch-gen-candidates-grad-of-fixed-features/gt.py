"""Ground truth for pt-git-botorch-gen-candidates-grad-of-fixed-features: the snippet's gen_candidates_scipy (BoTorch), with
its workspace's botorch/utils.py (fix_features, columnwise_clamp) importable, maximises a smooth
acquisition function a(X) = -sum((X - 0.3)^2) over a 1 x 2 candidate whose second feature is fixed
(fixed_features={1: None}). _arrayify and the scipy bounds/constraints helpers are stand-ins
(tensor to float64 NumPy array; no bounds, no constraints). The optimisation must run and bring the
free feature to 0.3 while the fixed one keeps its starting value 0.9."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
sys.path.insert(0, os.path.join(HERE, "workspace"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-botorch-gen-candidates-grad-of-fixed-features"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {
        "_arrayify": lambda t: t.cpu().detach().contiguous().double().clone().numpy(),
        "make_scipy_bounds": lambda **kw: None,
        "make_scipy_linear_constraints": lambda **kw: None,
    })

    def acquisition(X):
        return -((X - 0.3) ** 2).sum(-1)

    start = torch.tensor([[0.8, 0.9]], dtype=torch.float64)
    out = {}
    err = gt.raises(lambda: out.setdefault("r", ns["gen_candidates_scipy"](
        start, acquisition, fixed_features={1: None})))
    if err is not None:
        return True, f"gen_candidates_scipy with a fixed feature raises {err}"
    cand, _ = out["r"]
    free_ok = abs(float(cand[0, 0]) - 0.3) < 1e-4
    fixed_ok = abs(float(cand[0, 1]) - 0.9) < 1e-12
    return not (free_ok and fixed_ok), f"candidate {cand.tolist()} (expected [[0.3, 0.9]])"


gt.main()
