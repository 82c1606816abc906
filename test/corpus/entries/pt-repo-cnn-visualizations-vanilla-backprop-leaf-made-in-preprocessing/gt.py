import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

CASE = "pt-repo-cnn-visualizations-vanilla-backprop-leaf-made-in-preprocessing"


@gt.case(CASE)
def _():
    # The repository's misc_functions.py (trimmed to preprocess_image, in workspace/); the image-saving helpers the
    # snippet also imports are only used under __main__ and are given placeholders.
    misc = types.ModuleType("misc_functions")
    exec(compile(open(os.path.join(HERE, "workspace", "src", "misc_functions.py")).read(), "misc_functions.py", "exec"), misc.__dict__)
    for name in ("get_example_params", "convert_to_grayscale", "save_gradient_images"):
        setattr(misc, name, None)
    sys.modules["misc_functions"] = misc
    ns = gt.exec_snippet(__file__, {})

    torch.manual_seed(0)

    class Net(nn.Module):  # a small CNN with the torchvision layout the class hooks (model.features[0])
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Tanh(), nn.Conv2d(4, 4, 3), nn.Tanh())
            self.classifier = nn.Linear(4 * 4 * 4, 5)

        def forward(self, x):
            return self.classifier(self.features(x).flatten(1))

    model = Net()
    image = np.random.RandomState(0).randint(0, 256, size=(8, 8, 3)).astype(np.uint8)
    prep_img = misc.preprocess_image(image, resize_im=False)
    target = 3
    vbp = ns["VanillaBackprop"](model)
    grads = vbp.generate_gradients(prep_img, target)

    # Reference: the gradient of the target logit w.r.t. the pre-processed image, taken directly.
    x = prep_img.detach().clone().requires_grad_(True)
    ref = torch.autograd.grad(model(x)[0, target], x)[0][0]
    err = gt.rel_err(torch.from_numpy(grads), ref)
    return err > 1e-5, f"hooked first-layer input gradient vs direct input gradient: rel. error {gt.fmt(err)}; prep_img is a leaf: {prep_img.is_leaf}"


gt.main()
