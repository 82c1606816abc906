import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-convex-adversarial-pgd-under-grad-disabled"


@gt.case(CASE)
def _():
    # The quoted evaluate_robust runs on the CPU: .cuda() is made the identity for this run, and the
    # library's robust_loss (not the subject) is replaced by the plain cross-entropy.
    model = gt.mlp(4, 3, dtype=torch.float32)
    ce = torch.nn.CrossEntropyLoss()
    names = {"robust_loss": lambda m, eps, X, y, **kw: (ce(m(X), y), 0.0)}
    loader = [(torch.randn(8, 4), torch.randint(0, 3, (8,)))]
    saved = torch.Tensor.cuda
    torch.Tensor.cuda = lambda self, *a, **k: self
    try:
        ns = gt.exec_snippet(__file__, names)
        err = gt.raises(lambda: ns["evaluate_robust"](loader, model, 0.1, 0, None, False))
    finally:
        torch.Tensor.cuda = saved
        torch.set_grad_enabled(True)
    return err is not None and "does not require grad" in err, f"evaluate_robust with the PGD line enabled: {err or 'no error'}"


gt.main()
