import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-functorch-vjp-of-input-gradient-cotangent-shape"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None and "shape" in err.lower(), f"vjp_fn(randn_like(x)) raised {err}"


gt.main()
