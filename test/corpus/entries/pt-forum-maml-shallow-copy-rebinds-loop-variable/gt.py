"""Ground truth for pt-forum-maml-shallow-copy-rebinds-loop-variable: the post's snippet run as written with a
small classifier standing in for Resnet (CIFAR-like 3x8x8 inputs, 10 classes), then again with the only
change that makes its first line run (list(model.parameters()) instead of the generator)."""
import copy
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class Resnet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 10)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).flatten(1))


@gt.case("pt-forum-maml-shallow-copy-rebinds-loop-variable")
def _():
    torch.manual_seed(0)
    names = {"Resnet": Resnet, "copy": copy, "torch": torch, "F": F, "x": torch.rand(4, 3, 8, 8),
             "y": torch.randint(0, 10, (4,)), "update_lr": 0.1}
    first = gt.raises(lambda: gt.exec_snippet(__file__, dict(names)))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    src = open(path, encoding="utf-8").read()
    listed = src.replace("copy.deepcopy(model.parameters())", "copy.deepcopy(list(model.parameters()))")
    assert listed != src
    ns = dict(names)
    second = gt.raises(lambda: exec(compile(listed, path, "exec"), ns))
    return first is not None and second is not None and "not have been used" in second, (
        f"as written: {first.splitlines()[0][:120] if first else 'ran'}; with list(model.parameters()): "
        f"{second.splitlines()[0][:160] if second else 'ran'}")


gt.main()
