import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch, torch.nn as nn

CASE = "pt-repo-gan-tutorial-dropout-inplace-after-leakyrelu"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    # Two MNIST-shaped batches stand in for the data loader; a linear generator stands in for G.
    data = [(torch.rand(6, 1, 28, 28) * 2 - 1, torch.zeros(6, dtype=torch.long)) for _ in range(2)]
    G = nn.Sequential(nn.Linear(100, 28 * 28), nn.Tanh())

    class _Opt:  # D_optimizer is created after D in the notebook; step is not reached
        def step(self):
            pass

    err = gt.raises(lambda: gt.exec_snippet(__file__, {"dataloader": data, "G": G, "D_optimizer": _Opt()}))
    return err is not None and "inplace operation" in err, f"D_loss.backward(): {(err or 'no error')[:170]}"


gt.main()
