import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-relu-out-of-place-result-discarded"


@gt.case(CASE)
def _():
    # The snippet moves its input to the GPU; run it on the CPU instead.
    cuda = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self
    try:
        ns = gt.exec_snippet(__file__, {})
    finally:
        torch.Tensor.cuda = cuda
    inp = ns["inp"]
    relu_grad = (inp > 0).to(inp.dtype)  # d/dx sum(relu(x))
    g_inplace = ns["var"].grad
    g_copy = ns["var_copy"].grad
    err_copy = float((g_copy - relu_grad).abs().max())
    err_inplace = float((g_inplace - relu_grad).abs().max())
    return err_copy > 0.5, (f"in-place branch vs ReLU mask: max diff {err_inplace:.3g}; "
                            f"out-of-place branch: max diff {err_copy:.3g} (grad sum {float(g_copy.sum()):.0f} of 25)")


gt.main()
