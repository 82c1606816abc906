"""Ground truth for pt-gh-pytorch-input-requires-grad-on-cpu-ok: runs the issue's test_cpu() and compares
t.grad with the linear layer's weight (d lin(t) / d t)."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-input-requires-grad-on-cpu-ok"


@gt.case(CASE)
def _():
    made = []
    init = torch.nn.Linear.__init__

    def record(self, *a, **k):
        init(self, *a, **k)
        made.append(self)

    torch.nn.Linear.__init__ = record
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            ns = gt.exec_snippet(__file__, {})
        g = ns["test_cpu"]()
    finally:
        torch.nn.Linear.__init__ = init
    if g is None:
        return True, "t.grad is None"
    err = gt.rel_err(g, made[-1].weight.detach())
    return err > 1e-6, f"t.grad vs lin.weight: rel err {gt.fmt(err)}"


gt.main()
