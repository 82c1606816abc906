"""Ground truth for pt-gh-pytorch-checkpoint-nonreentrant-inner-grad-fails: the snippet's own text, run with the
installed PyTorch; the symptom is the error the thread reports (raised here by the outer backward)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402


@gt.case("pt-gh-pytorch-checkpoint-nonreentrant-inner-grad-fails")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None, f"the snippet raised {err}"


gt.main()
