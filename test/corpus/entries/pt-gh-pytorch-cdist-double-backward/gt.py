"""Ground truth for pt-gh-pytorch-cdist-double-backward: the snippet runs as posted. Its loss is on
an input gradient taken with create_graph=True through torch.cdist (default compute_mode, small
inputs), whose backward has no derivative: loss.backward() raises. fixed.py (the compute_mode the
issue marks as working) is run as the control."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402


@gt.case("pt-gh-pytorch-cdist-double-backward")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    fixed_err = gt.raises(lambda: gt.exec_snippet(__file__, snippet="fixed.py"))
    return err is not None and "cdist_backward" in err, f"snippet: {err}; fixed.py (mm compute mode): {fixed_err or 'runs'}"


gt.main()
