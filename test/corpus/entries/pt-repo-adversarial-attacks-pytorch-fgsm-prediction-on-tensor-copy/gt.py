import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-repo-adversarial-attacks-pytorch-fgsm-prediction-on-tensor-copy"


@gt.case(CASE)
def _():
    # The repository's utils.py (trimmed to getPredictionInfo, in workspace/) is what `from utils import *` loads.
    utils = types.ModuleType("utils")
    exec(compile(open(os.path.join(HERE, "workspace", "utils.py")).read(), "utils.py", "exec"), utils.__dict__)
    sys.modules["utils"] = utils
    ns = gt.exec_snippet(__file__, {})

    torch.manual_seed(0)
    # A small classifier standing in for the pretrained VGG-11; main1.py prepares the image as here:
    # img_tsor.unsqueeze_(0); img_tsor.requires_grad_(True); label = torch.tensor([int(label)]).
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Tanh(), nn.Flatten(), nn.Linear(4 * 6 * 6, 10))
    model.eval()
    img_tsor = torch.rand(3, 8, 8)
    img_tsor.unsqueeze_(0)
    img_tsor.requires_grad_(True)
    label = torch.tensor([3])
    fgsm = ns["FGSM"](model, nn.CrossEntropyLoss(), img_tsor, label, 0.05)
    err = gt.raises(fgsm.attack)
    grad_after = img_tsor.grad
    # The weights did receive a gradient: the loss was differentiated, only not back to the image.
    weight_grad = model[0].weight.grad
    misbehaves = err is not None and "NoneType" in err and grad_after is None
    return misbehaves, (f"attack() raised {err!r}; img_tsor.grad is {'None' if grad_after is None else 'set'}; "
                        f"first conv weight grad is {'None' if weight_grad is None else 'set'}")


gt.main()
