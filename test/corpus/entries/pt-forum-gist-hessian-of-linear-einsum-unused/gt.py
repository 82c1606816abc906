import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-gist-hessian-of-linear-einsum-unused"


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch})  # defines the functions; the __main__ block does not run here
    x = torch.arange(4, dtype=torch.float, requires_grad=True)
    jac = ns["jacobian"](ns["f"](x), x)
    err = gt.raises(lambda: ns["hessian"](ns["f"](x), x))
    # The Hessian of the linear map x -> M x is the zero tensor; the quoted helper raises instead.
    return err is not None, f"jacobian ok (shape {tuple(jac.shape)}); hessian of the linear einsum: {err or 'no error'}"


gt.main()
