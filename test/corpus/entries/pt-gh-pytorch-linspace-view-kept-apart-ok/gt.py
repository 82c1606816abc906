"""Ground truth for pt-gh-pytorch-linspace-view-kept-apart-ok: runs the issue's correct block; lhs_pos.grad
must be all ones (d sum / d lhs_pos)."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-linspace-view-kept-apart-ok"


@gt.case(CASE)
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, {})
    g = ns["lhs_pos"].grad
    if g is None:
        return True, "lhs_pos.grad is None"
    err = gt.rel_err(g, torch.ones(32))
    return err > 0, f"lhs_pos.grad vs ones: rel err {gt.fmt(err)}"


gt.main()
