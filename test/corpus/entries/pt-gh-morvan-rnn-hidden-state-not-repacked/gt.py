import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402

CASE = "pt-gh-morvan-rnn-hidden-state-not-repacked"


@gt.case(CASE)
def _():
    # the snippet's own text: 100 truncated-BPTT steps of the tutorial's RNN regressor
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    return err is not None and "second time" in err, f"the training loop raised {err}"


gt.main()
