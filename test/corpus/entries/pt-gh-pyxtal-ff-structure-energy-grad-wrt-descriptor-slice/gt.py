import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-pyxtal-ff-structure-energy-grad-wrt-descriptor-slice"


@gt.case(CASE)
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__, {}))
    unused = err is not None and "not have been used in the graph" in str(err)
    return unused, f"grad w.r.t. x[0:3,:] raises: {err}" if err else "grad w.r.t. the slice ran"


gt.main()
