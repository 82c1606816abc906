"""Ground truth for pt-gh-protenix-flat-bottom-inf-bound-nan: the snippet (Protenix's
_flat_bottom_parabolic and the issue's reproduction) runs as posted, prints captured. With an
infinite upper bound, diff_ub = -inf and diff_ub**2 = inf sit in the unselected branch of
torch.where; the autograd gradient is compared with the function's own analytic gradient."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-protenix-flat-bottom-inf-bound-nan")
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__)
    auto, analytic = ns["autograd_grad"], ns["analytic_grad"]
    bad = (~torch.isfinite(auto)) | ((auto - analytic).abs() > 1e-6)
    return bool(bad.any()), f"energy {ns['energy'].tolist()}; autograd {auto.tolist()} vs analytic {analytic.tolist()}"


gt.main()
