import os
import sys
from typing import Callable, Optional, Tuple, Union, cast

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import Tensor  # noqa: E402

CASE = "pt-repo-captum-compute-gradients-set-grad-enabled"


def _run_forward(forward_fn, inputs, target=None, additional_forward_args=None):
    """Captum's _run_forward for one tensor input and an integer target: the target column."""
    out = forward_fn(*inputs) if isinstance(inputs, tuple) else forward_fn(inputs)
    return out if target is None else out[:, target]


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "Callable": Callable, "Union": Union, "Tensor": Tensor,
                                    "Tuple": Tuple, "Optional": Optional, "TargetType": object, "cast": cast,
                                    "_run_forward": _run_forward})
    net = gt.mlp(4, 3)
    x = torch.rand(6, 4, dtype=torch.float64, requires_grad=True)
    with torch.no_grad():  # the caller has recording off
        grads = ns["compute_gradients"](net, (x,), target_ind=1)
    fd = gt.fd_gradient(lambda a: net(torch.from_numpy(a))[:, 1].detach().numpy(), x.detach().numpy())
    err = gt.rel_err(grads[0], fd)
    return err > 1e-6, f"saliency gradient computed inside the caller's no_grad vs FD: rel err {gt.fmt(err)}"


gt.main()
