import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-freia-allinone-out-of-place-sub-jac"


@gt.case(CASE)
def _():
    # The quoted _affine as a method of a block in GIN mode (clamp 2.0, one non-channel dimension); a is
    # the subnet's output for the passive half, as in AllInOneBlock.forward.
    ns = gt.exec_snippet(__file__, {"InvertibleModule": torch.nn.Module})
    block = SimpleNamespace(clamp=2.0, GIN=True, sum_dims=(1,))
    subnet = gt.mlp(2, 4, width=16)
    x1 = torch.randn(8, 2, dtype=torch.float64)
    x2 = torch.randn(8, 2, dtype=torch.float64, requires_grad=True)

    def loss(x):
        y, log_jac = ns["AllInOneBlock"]._affine(block, x, subnet(x1))
        return 0.5 * (y ** 2).sum() - log_jac.sum()

    err = gt.raises(lambda: loss(x2).backward())
    if err is not None:
        return True, f"backward raised {err}"
    fd = gt.fd_gradient(lambda xs: [float(loss(torch.tensor(xs).reshape(8, 2)).detach())],
                        x2.detach().numpy().reshape(1, -1))
    e = gt.rel_err(x2.grad.reshape(1, -1), fd)
    return e > 1e-5, f"backward ran; input gradient vs finite differences rel err {gt.fmt(e)}"


gt.main()
