import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch, torch.nn as nn

CASE = "pt-repo-dcgan-tutorial-leakyrelu-inplace-after-batchnorm"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    # Two MNIST-shaped batches stand in for the data loader; a linear generator stands in for G.
    data = [(torch.rand(4, 1, 28, 28) * 2 - 1, torch.zeros(4, dtype=torch.long)) for _ in range(2)]
    G = nn.Sequential(nn.Linear(100, 28 * 28), nn.Tanh(), nn.Unflatten(1, (1, 28, 28)))

    class _Opt:  # D_optimizer is created after D in the notebook; a no-op step keeps the run local
        def step(self):
            pass

    ns = {}
    err = gt.raises(lambda: ns.update(gt.exec_snippet(__file__, {"dataloader": data, "G": G, "D_optimizer": _Opt()})))
    if err is not None:
        return True, f"D_loss.backward(): {err[:170]}"
    grads = [p.grad for p in ns["D"].parameters()]
    finite = all(g is not None and bool(torch.isfinite(g).all()) for g in grads)
    return not finite, f"backward ran on both batches; D gradients present and finite: {finite} (norm {gt.norm_of(grads):.3g})"


gt.main()
