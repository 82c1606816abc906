import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = os.path.basename(os.path.dirname(os.path.abspath(__file__)))


@gt.case(CASE)
def _():
    # The course notebook's data: y = 2x^2 + 3x + 17 on x in [-1, 1], batches of 50 (the snippet's loop, 2 epochs).
    torch.manual_seed(0)
    x = torch.rand(200, 1) * 2 - 1
    y = 2 * x ** 2 + 3 * x + 17
    loader = [(x[i:i + 50], y[i:i + 50]) for i in range(0, 200, 50)]
    watches = []
    real_sgd = torch.optim.SGD

    class WatchedSGD(real_sgd):
        def __init__(self, params, *a, **k):
            super().__init__(params, *a, **k)
            watches.append(gt.watch_steps(self, self.param_groups[0]["params"]))

    torch.optim.SGD = WatchedSGD
    try:
        gt.exec_snippet(__file__, {"hid_dim": 10, "device": torch.device("cpu"), "n_epoch": 2,
                                   "train_data_loader": loader})
    finally:
        torch.optim.SGD = real_sgd
    return watches[0].verdict()


gt.main()
