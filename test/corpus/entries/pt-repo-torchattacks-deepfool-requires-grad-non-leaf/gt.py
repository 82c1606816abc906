import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torchattacks-deepfool-requires-grad-non-leaf"


class Attack:
    """Stand-in for torchattacks' Attack base of that version: keeps the model and its device."""

    def __init__(self, name, model):
        self.attack = name
        self.model = model
        self.device = torch.device("cpu")


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Flatten(), gt.mlp(4, 3, width=16, dtype=torch.float32))
    images = torch.rand(8, 1, 2, 2)
    labels = torch.zeros(8, dtype=torch.long)
    ns = gt.exec_snippet(__file__, {"torch": torch, "Attack": Attack})
    attack = ns["DeepFool"](net, iters=3)
    err = gt.raises(lambda: attack.forward(images, labels))
    return err is not None and "leaf" in err, f"DeepFool.forward on 8 images raised {err}"


gt.main()
