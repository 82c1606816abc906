"""Ground truth for pt-git-perceptrain-r3-pde-grad-wrt-input-column: the snippet's evaluate_pde, run with a small
tanh network and collocation points that require grad (the library's FFNN/PINN import is dropped: perceptrain is not
installed here, and main() is not run). The call raises; with grad_outputs given the output's shape (the commit's
other change) it still raises "One of the differentiated Tensors appears to not have been used in the graph": the
column x[:, 0] is made after model(x) was computed."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


def load(text):
    ns = {"__name__": "snippet"}
    exec(compile(text.replace("from perceptrain.models import FFNN, PINN\n", ""), "snippet.py", "exec"), ns)  # noqa: S102
    return ns


@gt.case("pt-git-perceptrain-r3-pde-grad-wrt-input-column")
def _():
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        text = fh.read()
    model = gt.mlp(2, 1)
    x = torch.rand(8, 2, dtype=torch.float64, requires_grad=True)
    as_written = gt.raises(lambda: load(text)["evaluate_pde"](x, model))
    assert text.count("grad_outputs=torch.ones_like(x)") == 2
    seeded = text.replace("grad_outputs=torch.ones_like(x)", "grad_outputs=torch.ones(x.shape[0], 1, dtype=x.dtype)")
    columns = gt.raises(lambda: load(seeded)["evaluate_pde"](x, model))
    bad = as_written is not None and columns is not None and "not have been used in the graph" in columns
    return bad, f"as written raises {as_written}; with grad_outputs of the output's shape raises {columns}"


gt.main()
