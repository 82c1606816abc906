import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torchattacks-deepfool-early-stop-leaf-kept"


class Attack:
    """Stand-in for torchattacks' Attack base: keeps the model and its device, get_logits calls the model."""

    def __init__(self, name, model):
        self.attack = name
        self.model = model
        self.device = torch.device("cpu")

    def get_logits(self, inputs):
        return self.model(inputs)


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Flatten(), gt.mlp(4, 3, width=16, dtype=torch.float64))
    images = torch.rand(8, 1, 2, 2, dtype=torch.float64)
    labels = net(images).argmax(1)  # every sample starts correctly classified: all take the iterative path
    labels[::2] = (labels[::2] + 1) % 3  # half start misclassified: they stop early, keeping their marked leaf
    ns = gt.exec_snippet(__file__, {"torch": torch, "nn": torch.nn, "Attack": Attack})
    attack = ns["DeepFool"](net, steps=5)
    err = gt.raises(lambda: attack.forward(images, labels))
    if err is not None:
        return True, f"DeepFool.forward raised {err}"
    x = torch.rand(1, 1, 2, 2, dtype=torch.float64, requires_grad=True)
    jac = attack._construct_jacobian(net(x)[0], x).reshape(3, 4)
    h = 1e-6
    fd = torch.zeros(3, 4, dtype=torch.float64)
    with torch.no_grad():
        for j in range(4):
            e = torch.zeros(4, dtype=torch.float64)
            e[j] = h
            fd[:, j] = (net(x + e.reshape(1, 1, 2, 2))[0] - net(x - e.reshape(1, 1, 2, 2))[0]) / (2 * h)
    rel = gt.rel_err(jac, fd)
    return rel > 1e-6, f"attacked 8 images without error; Jacobian vs finite differences rel err {gt.fmt(rel)}"


gt.main()
