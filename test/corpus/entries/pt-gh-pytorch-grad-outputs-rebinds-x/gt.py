import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-grad-outputs-rebinds-x"


@gt.case(CASE)
def _():
    real_cuda = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self  # CPU-only machine: keep the quoted .cuda() calls as no-ops
    try:
        ns = gt.exec_snippet(__file__, {"torch": torch})
    finally:
        torch.Tensor.cuda = real_cuda
    got = ns["grad_params"][0]
    f, a0 = ns["f"], ns["a0"]
    x_used = f.grad_fn.next_functions[0][0].next_functions[0][0].variable  # the x that f was built from
    wanted = torch.autograd.grad(f, x_used, torch.ones_like(f), retain_graph=True)[0]
    return got is None, (f"grad(f, [x]) returned {got}; x now is a fresh tensor: {ns['x'] is not x_used}; "
                         f"df/dx of the x f used ranges {gt.fmt(float(wanted.min()))}..{gt.fmt(float(wanted.max()))}")


gt.main()
