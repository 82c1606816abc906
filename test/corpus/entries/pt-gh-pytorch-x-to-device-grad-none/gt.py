import contextlib
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-pytorch-x-to-device-grad-none"


@gt.case(CASE)
def _():
    # No GPU here: torch.cuda.is_available() is made to answer True and a .to(<cuda device>) becomes
    # .to(torch.float64): the same differentiable _to_copy node that a device move records.
    leaves = []
    real_to, real_avail = torch.Tensor.to, torch.cuda.is_available

    def fake_to(self, *args, **kwargs):
        if args and isinstance(args[0], torch.device) and args[0].type == "cuda":
            if self.is_leaf and self.requires_grad:
                leaves.append(self)
            return real_to(self, torch.float64)
        return real_to(self, *args, **kwargs)

    torch.Tensor.to, torch.cuda.is_available = fake_to, (lambda: True)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            ns = gt.exec_snippet(__file__)
    finally:
        torch.Tensor.to, torch.cuda.is_available = real_to, real_avail
    leaf = leaves[0] if leaves else None
    right = leaf is not None and leaf.grad is not None and gt.rel_err(leaf.grad, 20 * leaf.detach()) < 1e-12
    return ns["x"].grad is None and right, (f"printed: {out.getvalue().strip()[:30]!r}; the leaf before .to(device) "
                                            f"holds 20*x: {right}")


gt.main()
