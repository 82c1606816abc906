import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-gh-pytorch-slice-assign-of-product-with-itself")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch}))
    return err is not None and "inplace" in err, f"loss.backward(): {err}"


gt.main()
