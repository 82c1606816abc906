"""Ground truth for pt-gh-pytorch-backward-seed-1x1-for-batch-output: the issue's script, run on the CPU (`.cuda()`
returns the tensor or module, torch.cuda.FloatTensor is torch.FloatTensor), raises a shape mismatch at
y.backward(FloatTensor([[1]])): the seed has shape (1, 1), the output (3, 1). With a seed of the output's shape
(torch.ones_like(y)) the same script runs and x.grad has x's shape."""
import contextlib
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def run(text):
    ns = {"__name__": "snippet"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(text, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    return ns


@gt.case("pt-gh-pytorch-backward-seed-1x1-for-batch-output")
def _():
    torch.Tensor.cuda = lambda self, *a, **k: self
    torch.nn.Module.cuda = lambda self, *a, **k: self
    torch.cuda.FloatTensor = torch.FloatTensor
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        text = fh.read()
    bug = gt.raises(lambda: run(text))
    seed = "y.backward(torch.cuda.FloatTensor([[1]]))"
    assert text.count(seed) == 1
    holder = {}
    control = gt.raises(lambda: holder.update(run(text.replace(seed, "y.backward(torch.ones_like(y))"))))
    ok = control is None and tuple(holder["x"].grad.shape) == (3, 5, 10)
    return bug is not None and "Mismatch in shape" in bug and ok, f"snippet raises {bug}; with ones_like(y) raises {control}"


gt.main()
