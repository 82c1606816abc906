import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-freia-allinone-gin-inplace-sub-jac"


@gt.case(CASE)
def _():
    # The quoted _affine runs as a method of a block in GIN mode (clamp 2.0 as FrEIA's default, one
    # non-channel dimension); a is the subnet's output for the passive half, as in AllInOneBlock.forward.
    ns = gt.exec_snippet(__file__, {"InvertibleModule": torch.nn.Module})
    block = SimpleNamespace(clamp=2.0, GIN=True, sum_dims=(1,))
    torch.manual_seed(0)
    subnet = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))
    x1, x2 = torch.randn(8, 2), torch.randn(8, 2, requires_grad=True)

    def run():
        y, log_jac = ns["AllInOneBlock"]._affine(block, x2, subnet(x1))
        (0.5 * (y ** 2).sum() - log_jac.sum()).backward()

    err = gt.raises(run)
    return err is not None, f"forward + backward of the GIN coupling: {err or 'no error'}"


gt.main()
