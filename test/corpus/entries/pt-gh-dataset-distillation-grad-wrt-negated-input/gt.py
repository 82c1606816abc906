"""Ground truth for pt-gh-dataset-distillation-grad-wrt-negated-input: the issue's example, run (torch given as a
name: the quote has no import). It raises "One of the differentiated Tensors appears to not have been used in the
graph"; the derivative with respect to x itself is 2 everywhere."""
import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-dataset-distillation-grad-wrt-negated-input")
def _():
    with contextlib.redirect_stdout(io.StringIO()):
        err = gt.raises(lambda: gt.exec_snippet(__file__, {"torch": torch}))
    x = torch.rand(10, requires_grad=True)
    g = torch.autograd.grad((2 * x).sum(), x)[0]
    ok = bool(torch.allclose(g, torch.full_like(g, 2.0)))
    return err is not None and "not have been used" in err and ok, f"grad(output, -x) raises {err}"


gt.main()
