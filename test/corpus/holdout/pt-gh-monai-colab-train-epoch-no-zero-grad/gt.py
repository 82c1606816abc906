import os, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-monai-colab-train-epoch-no-zero-grad"


class AverageMeter:
    def __init__(self):
        self.sum, self.count, self.avg = 0.0, 0, 0.0

    def update(self, val, n=1):
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"time": time, "AverageMeter": AverageMeter, "device": torch.device("cpu"),
                                    "batch_size": 4, "max_epochs": 1, "print": lambda *a, **k: None})
    model = gt.mlp(3, 2)
    torch.manual_seed(1)
    loader = [{"image": torch.rand(4, 3, dtype=torch.float64), "label": torch.randint(0, 2, (4,))} for _ in range(4)]
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    watch = gt.watch_steps(opt, model.parameters())
    ns["train_epoch"](model, loader, opt, 0, torch.nn.CrossEntropyLoss())
    return watch.verdict()


gt.main()
