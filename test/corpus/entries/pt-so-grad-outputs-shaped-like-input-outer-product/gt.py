"""Ground truth for pt-so-grad-outputs-shaped-like-input-outer-product: the snippet as quoted; the grad call with
grad_outputs=ones_like(x) of shape (4,) for the (4, 4) output raises PyTorch's shape mismatch."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402


@gt.case("pt-so-grad-outputs-shaped-like-input-outer-product")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None and "Mismatch in shape" in err, f"raised {err}"


gt.main()
