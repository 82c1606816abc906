import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
from types import SimpleNamespace

CASE = "pt-repo-resnet-mnist-model-zero-grad"


class ResNet(torch.nn.Module):
    """Stand-in for torchvision's ResNet, small: conv1 -> pool -> fc (the snippet replaces conv1 as the notebook does)."""

    def __init__(self, block, layers, num_classes=10):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.fc = torch.nn.Linear(64, num_classes)

    def forward(self, x):
        return self.fc(torch.relu(self.conv1(x)).mean(dim=(2, 3)))


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    data = [(torch.rand(8, 1, 12, 12), torch.randint(0, 10, (8,))) for _ in range(3)]
    watches = []

    def adadelta(params):
        opt = torch.optim.Adadelta(params)
        watches.append(gt.watch_steps(opt, opt.param_groups[0]["params"]))
        return opt

    class Progress:
        def __init__(self, it, **k):
            self.it = it

        def __iter__(self):
            return iter(self.it)

        def set_description(self, *a):
            pass

    names = {"torch": torch, "nn": torch.nn, "ResNet": ResNet, "BasicBlock": None,
             "optim": SimpleNamespace(Adadelta=adadelta), "tqdm": Progress,
             "get_data_loaders": lambda a, b: (data, data[:1])}
    gt.exec_snippet(__file__, names)
    return watches[0].verdict()


gt.main()
