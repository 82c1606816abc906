import builtins
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-yunjey-language-model-detach-states"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    # the Penn Treebank ids the tutorial loads with its Corpus class: random word ids of the same layout
    # (batch_size rows), long enough for three truncated-BPTT segments per epoch
    # Two epochs of two segments each keep the run short (the tutorial's LSTM is 1024 wide): every range() the loop
    # uses is cut to its first two values; the second segment's backward is the one that would fail without detach.
    names = {"ids": torch.randint(0, 50, (20, 91)), "vocab_size": 50, "range": lambda *a: list(builtins.range(*a))[:2]}
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    return err is not None, f"two epochs of two truncated-BPTT segments raised {err}"


gt.main()
