"""Ground truth for pt-gh-gradcam-pp-batch-score-backward: the snippet's GradCAM on a small conv net whose
'layer4' is a conv layer; a batch of 2 images (the issue's call gradcam(inputs)) and, for contrast, 1 image."""
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-gradcam-pp-batch-score-backward"


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layer4 = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.fc = torch.nn.Linear(4, 5)

    def forward(self, x):
        return self.fc(torch.relu(self.layer4(x)).mean((2, 3)))


@gt.case(CASE)
def _():
    warnings.simplefilter("ignore")
    ns = gt.exec_snippet(__file__, {"find_resnet_layer": lambda arch, name: getattr(arch, name)})
    cam = ns["GradCAM"]({"layer_name": "layer4", "arch": Net()})
    err_batch = gt.raises(lambda: cam(torch.rand(2, 3, 8, 8)))
    err_single = gt.raises(lambda: cam(torch.rand(1, 3, 8, 8)))
    misbehaves = err_batch is not None and "scalar outputs" in err_batch and err_single is None
    return misbehaves, f"batch of 2: {err_batch!r}; batch of 1: {err_single!r}"


gt.main()
