"""Ground truth for pt-gh-pytorch-hessian-functional-call-vector-output: the snippet's own text raises; the same
Hessian of the summed output does not (the error is the non-scalar output)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch.autograd.functional import hessian  # noqa: E402
from torch.nn.utils import _stateless  # noqa: E402


@gt.case("pt-gh-pytorch-hessian-functional-call-vector-output")
def _():
    err = gt.raises(lambda: gt.exec_snippet(__file__))
    model = torch.nn.Linear(2, 2)
    inp = torch.rand(1, 2)
    names = [n for n, _ in model.named_parameters()]
    summed = gt.raises(lambda: hessian(lambda *p: _stateless.functional_call(model, dict(zip(names, p)), inp).sum(), tuple(model.parameters())))
    return err is not None and summed is None, f"snippet raised {err}; with the output summed raised {summed}"


gt.main()
