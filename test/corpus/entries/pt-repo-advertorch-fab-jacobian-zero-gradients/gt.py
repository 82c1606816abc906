import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-advertorch-fab-jacobian-zero-gradients"


def zero_gradients(x):
    """Same effect as advertorch.attacks.utils.zero_gradients: clear the tensor's .grad in place."""
    if x.grad is not None:
        x.grad.detach_()
        x.grad.zero_()


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "zero_gradients": zero_gradients})
    net = torch.nn.Sequential(torch.nn.Flatten(), gt.mlp(4, 3, width=8))
    imgs = torch.rand(5, 1, 2, 2, dtype=torch.float64)
    la = torch.tensor([0, 1, 2, 0, 1])
    df, dg = ns["get_diff_logits_grads_batch"](SimpleNamespace(predict=net, device="cpu"), imgs, la)
    # reference: per-sample Jacobian d y[b, c] / d imgs[b]
    J = torch.autograd.functional.jacobian(lambda x: net(x), imgs)  # (5, 3, 5, 1, 2, 2)
    per = torch.stack([J[b, :, b] for b in range(5)])  # (5, 3, 1, 2, 2)
    ref = per - per[torch.arange(5), la].unsqueeze(1)
    err = gt.rel_err(dg, ref)
    return err > 1e-6, f"(g2 is float32) dg vs per-sample Jacobian differences from functional.jacobian: rel err {gt.fmt(err)}"


gt.main()
